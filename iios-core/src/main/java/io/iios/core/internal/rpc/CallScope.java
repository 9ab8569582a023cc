package io.iios.core.internal.rpc;

import io.iios.api.CallContext;
import org.jspecify.annotations.Nullable;

/** The call context of the service method running on the current thread, if any. */
public final class CallScope {
    private static final ThreadLocal<@Nullable CallContext> CURRENT = new ThreadLocal<>();

    private CallScope() {
    }

    public static @Nullable CallContext current() {
        return CURRENT.get();
    }

    static void set(@Nullable CallContext ctx) {
        if (ctx == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(ctx);
        }
    }
}
