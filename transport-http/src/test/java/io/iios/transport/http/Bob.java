package io.iios.transport.http;

import io.iios.api.CallContext;
import io.iios.api.Delete;
import io.iios.api.Get;
import io.iios.api.Post;
import io.iios.api.Put;
import io.iios.api.Service;
import java.util.concurrent.atomic.AtomicInteger;

/** The test service: one method per verb, an unannotated one, a slow one and one that throws. */
@Service("bob")
public class Bob {
    final AtomicInteger calls = new AtomicInteger();

    @Get
    public String hello(String who) {
        calls.incrementAndGet();
        return "hello " + who;
    }

    @Get
    public int add(int a, int b) {
        calls.incrementAndGet();
        return a + b;
    }

    @Get
    public String whoami(CallContext ctx) {
        return ctx.userId() == null ? "anonymous" : ctx.userId();
    }

    @Get
    public String slow(long millis) throws InterruptedException {
        Thread.sleep(millis); // the service under test is slow on purpose
        return "done";
    }

    @Post
    public String fail(String message) {
        throw new IllegalStateException(message);
    }

    @Put
    public int size(String text) {
        return text.length();
    }

    @Delete
    public boolean remove(String id) {
        return true;
    }

    public String internal() {
        return "broker only";
    }
}
