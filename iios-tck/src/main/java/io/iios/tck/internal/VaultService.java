package io.iios.tck.internal;

import io.iios.api.AccessControlled;
import io.iios.api.CallContext;
import io.iios.api.Delete;
import io.iios.api.Get;
import io.iios.api.Grants;
import io.iios.api.Post;
import io.iios.api.Put;
import java.util.concurrent.atomic.AtomicInteger;

/** RbacKit's service: one method per verb, each returning "user|role|possession|privileged" from its context. */
public final class VaultService implements AccessControlled {
    public final AtomicInteger runs = new AtomicInteger();

    @Override
    public Grants defaultGrants() {
        return Grants.seedDefaults();
    }

    private String describe(CallContext ctx) {
        runs.incrementAndGet();
        return ctx.userId() + "|" + ctx.role() + "|" + ctx.possession() + "|" + ctx.privileged();
    }

    @Get
    public String read(CallContext ctx) {
        return describe(ctx);
    }

    @Put
    public String create(CallContext ctx) {
        return describe(ctx);
    }

    @Post
    public String update(CallContext ctx) {
        return describe(ctx);
    }

    @Delete
    public String delete(CallContext ctx) {
        return describe(ctx);
    }
}
