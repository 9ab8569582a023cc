package io.iios.cli;

import io.iios.api.Get;
import io.iios.api.Post;
import io.iios.api.Service;

/** What {@code iios bench} calls: a tiny computation, and an echo for payload-size runs. */
@Service("bob")
public final class BenchService {
    @Get
    public int add(int a, int b) {
        return a + b;
    }

    @Post
    public String echo(String payload) {
        return payload;
    }
}
