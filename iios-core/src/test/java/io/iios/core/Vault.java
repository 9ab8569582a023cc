package io.iios.core;

import io.iios.api.AccessControlled;
import io.iios.api.CallContext;
import io.iios.api.Delete;
import io.iios.api.Get;
import io.iios.api.Grants;
import io.iios.api.Post;
import io.iios.api.Put;
import io.iios.api.Service;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import java.util.concurrent.atomic.AtomicInteger;

/** A service with one method per verb; each returns what its CallContext says. Declares the seed's default grants. */
@Service("vault")
public class Vault implements AccessControlled, ServiceLifecycle {
    final AtomicInteger runs = new AtomicInteger();
    volatile ServiceHandle handle;

    @Override
    public void onStart(ServiceHandle handle) {
        this.handle = handle;
    }

    @Override
    public Grants defaultGrants() {
        return Grants.seedDefaults();
    }

    static String describe(CallContext ctx) {
        return ctx.userId() + "|" + ctx.role() + "|" + ctx.possession() + "|" + ctx.privileged();
    }

    @Get
    public String read(CallContext ctx) {
        runs.incrementAndGet();
        return describe(ctx);
    }

    @Put
    public String create(CallContext ctx) {
        runs.incrementAndGet();
        return describe(ctx);
    }

    @Post
    public String update(CallContext ctx) {
        runs.incrementAndGet();
        return describe(ctx);
    }

    @Delete
    public String delete(CallContext ctx) {
        runs.incrementAndGet();
        return describe(ctx);
    }

    /** Unannotated: POST, so RBAC action update. */
    public String touch(CallContext ctx) {
        runs.incrementAndGet();
        return describe(ctx);
    }

    /** Readable by anyone; creates on its own behalf through the privileged gateway. */
    @Get
    public String createOnOwnBehalf() {
        return (String) handle.privilegedGateway().call("vault", "create");
    }
}
