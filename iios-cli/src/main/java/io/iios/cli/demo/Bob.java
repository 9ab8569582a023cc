package io.iios.cli.demo;

import io.iios.api.Get;
import io.iios.api.Post;
import io.iios.api.Service;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The demo service: two public GET methods, an event pusher and an internal method that always fails. */
@Service("bob")
public final class Bob implements ServiceLifecycle {
    private volatile @Nullable ServiceHandle handle;

    @Override
    public void onStart(ServiceHandle handle) {
        this.handle = handle;
    }

    @Get
    public int add(int a, int b) {
        return a + b;
    }

    @Get
    public String hello(String name) {
        return "hello " + name;
    }

    /** Pushes the event {@code coucou} with the text as payload; returns the event name. */
    @Post
    public String coucou(String text) {
        ServiceHandle h = handle;
        if (h == null) {
            throw new IllegalStateException("bob is not started");
        }
        h.pushEvent("coucou", Map.of("text", text));
        return "coucou";
    }

    /** Unannotated, so POST and not on the public HTTP API; always throws. */
    public String fail(String why) {
        throw new IllegalStateException(why);
    }
}
