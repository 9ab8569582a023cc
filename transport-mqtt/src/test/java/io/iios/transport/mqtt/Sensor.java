package io.iios.transport.mqtt;

import io.iios.api.Get;
import io.iios.api.Post;
import io.iios.api.Service;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import java.util.Map;

/** A service on an edge device. */
@Service("sensor")
public class Sensor implements ServiceLifecycle {
    private volatile ServiceHandle handle;
    private volatile double setpoint = 20.5;

    @Override
    public void onStart(ServiceHandle handle) {
        this.handle = handle;
    }

    @Get
    public double temperature() {
        return setpoint;
    }

    @Post
    public double setpoint(double value) {
        setpoint = value;
        handle.pushEvent("changed", Map.of("setpoint", value));
        return value;
    }
}
