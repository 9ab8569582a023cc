package io.iios.cli.demo;

import io.iios.api.ByteStream;
import io.iios.api.Get;
import io.iios.api.Post;
import io.iios.api.Service;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The demo service: two public GET methods, an event pusher, a byte stream and an internal method that always fails. */
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

    /**
     * A byte stream of {@code lines} text lines ({@code NAME line N}), written as the reader grants credit:
     * {@code iios call bob download report.txt 20000 --out report.txt}.
     */
    @Get
    public ByteStream download(String name, int lines) {
        return ByteStream.writing(out -> {
            for (int i = 1; i <= lines; i++) {
                out.write((name + " line " + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** Unannotated, so POST and not on the public HTTP API; always throws. */
    public String fail(String why) {
        throw new IllegalStateException(why);
    }
}
