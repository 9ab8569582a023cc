package io.iios.core;

import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/** Deterministic test data generated on the fly (no large arrays), and its checksum. */
final class Payload {
    private static final int BLOCK = 8192;

    private Payload() {
    }

    /** {@code size} bytes depending only on {@code seed}. */
    static InputStream of(long seed, long size) {
        return new InputStream() {
            private final byte[] block = new byte[BLOCK];
            private long pos;
            private int inBlock = BLOCK;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                if (inBlock == BLOCK) {
                    new SplittableRandom(seed * 1_000_003L + pos / BLOCK).nextBytes(block);
                    inBlock = 0;
                }
                int n = (int) Math.min(Math.min(len, BLOCK - inBlock), size - pos);
                System.arraycopy(block, inBlock, b, off, n);
                inBlock += n;
                pos += n;
                return n;
            }
        };
    }

    /** CRC32 of {@link #of(long, long)}. */
    static long crc(long seed, long size) {
        try (InputStream in = of(seed, size)) {
            return crc(in).crc();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Summary(long bytes, long crc) {
    }

    /** Reads to the end: how many bytes, and their CRC32. */
    static Summary crc(InputStream in) throws java.io.IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            crc.update(buf, 0, n);
            total += n;
        }
        return new Summary(total, crc.getValue());
    }
}
