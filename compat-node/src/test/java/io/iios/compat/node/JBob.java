package io.iios.compat.node;

import io.iios.api.CallContext;
import io.iios.api.Delete;
import io.iios.api.Get;
import io.iios.api.Put;
import io.iios.api.Service;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The Java service Node gateways call. */
@Service("jbob")
public final class JBob {
    public int add(int a, int b) {
        return a + b;
    }

    public @Nullable Object echo(@Nullable Object v) {
        return v;
    }

    @Get
    public @Nullable String whoami(CallContext ctx) {
        return ctx.userId();
    }

    @Put
    public Map<String, Object> create(Map<String, Object> doc) {
        return Map.of("created", doc);
    }

    @Delete
    public Map<String, Object> remove(String id) {
        return Map.of("removed", id);
    }

    public String fail(String x) {
        throw new IllegalStateException("jbob failed on purpose: " + x);
    }

    public List<Object> nothing() {
        return List.of();
    }
}
