package io.iios.cli;

import io.iios.api.ByteStream;
import io.iios.api.Get;
import io.iios.api.Post;
import io.iios.api.Service;

/** What {@code iios bench} calls: a tiny computation, an echo for payload-size runs, a byte stream for --stream. */
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

    /** {@code size} bytes in 64 KiB writes (cheap to produce, so the stream path is what is measured). */
    @Get
    public ByteStream download(long size) {
        return ByteStream.writing(out -> {
            byte[] block = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        });
    }
}
