package io.iios.cli.demo;

import io.iios.api.AccessControlled;
import io.iios.api.ByteStream;
import io.iios.api.Get;
import io.iios.api.Grants;
import io.iios.api.Possession;
import io.iios.api.Post;
import io.iios.api.Put;
import io.iios.api.Service;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The demo service: two public GET methods, an event pusher, a byte stream, a PUT method only some roles
 * may call and an internal method that always fails. Its default grants let anonymous callers read and update (GET,
 * POST) but not create (PUT).
 */
@Service("bob")
public final class Bob implements ServiceLifecycle, AccessControlled {
    private volatile @Nullable ServiceHandle handle;

    @Override
    public void onStart(ServiceHandle handle) {
        this.handle = handle;
    }

    @Override
    public Grants defaultGrants() {
        return Grants.builder().grantAll("admin", Possession.ANY)
                .grant("user", "read", Possession.ANY).grant("user", "update", Possession.ANY)
                .grant("anonymous", "read", Possession.ANY).grant("anonymous", "update", Possession.ANY).build();
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

    /** PUT, so RBAC action {@code create}: anonymous callers are denied by the default grants. */
    @Put
    public String note(String text) {
        return "noted: " + text;
    }

    /** Unannotated, so POST and not on the public HTTP API; always throws. */
    public String fail(String why) {
        throw new IllegalStateException(why);
    }
}
