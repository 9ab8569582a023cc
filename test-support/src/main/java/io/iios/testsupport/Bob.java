package io.iios.testsupport;

import io.iios.api.Get;
import io.iios.api.Post;
import io.iios.api.Service;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import java.util.Map;

/** The service of the end-to-end scenario: a sum, its instance id, and an event. */
@Service("bob")
public class Bob implements ServiceLifecycle {
    private volatile ServiceHandle handle;

    @Override
    public void onStart(ServiceHandle handle) {
        this.handle = handle;
    }

    @Get
    public int add(int a, int b) {
        return a + b;
    }

    @Get
    public String whoami() {
        return handle.instanceId();
    }

    @Post
    public String shout(String what) {
        handle.pushEvent("coucou", Map.of("what", what));
        return what;
    }
}
