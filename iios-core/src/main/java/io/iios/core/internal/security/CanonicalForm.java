package io.iios.core.internal.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The canonical form of a value of the generic model (docs/protocol.md, "Signing"): the bytes both
 * sides hash, whatever encoder carried the value and whatever order its maps came in.
 *
 * <pre>
 * null 'n' | true 't' | false 'f' | integer 'i' DECIMAL ';' | float 'd' 16-hex-IEEE-754-bits
 * string 's' LEN ':' UTF-8 | bytes 'b' LEN ':' BYTES | list 'l' COUNT ':' ITEMS
 * map 'm' COUNT ':' (KEY-as-string VALUE)* in ascending unsigned order of the keys' UTF-8 bytes
 * </pre>
 *
 * A growable buffer, reused by one thread at a time.
 */
final class CanonicalForm {
    private byte[] buf = new byte[512];
    private int len;

    /** A value outside the generic model, or one the encoder would carry as another type. */
    static final class NotCanonical extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotCanonical(String message) {
            super(message, null, false, false);
        }
    }

    void reset() {
        len = 0;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    /**
     * Appends the canonical form of a value.
     *
     * @param bytesStayBinary whether the encoder carries {@code byte[]} as binary (msgpack) rather than
     *     as a base64 string (json); when not, a {@code byte[]} is not canonical
     * @throws NotCanonical for anything but null, Boolean, Integer, Long, Short, Byte, BigInteger, finite
     *     Double, String, byte[] (see above), List, and Map with String keys
     */
    void write(@Nullable Object v, boolean bytesStayBinary) {
        if (v == null) {
            put('n');
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            put('i');
            ascii(Long.toString(((Number) v).longValue()));
            put(';');
        } else if (v instanceof Boolean b) {
            put(b ? 't' : 'f');
        } else if (v instanceof List<?> l) {
            put('l');
            ascii(Integer.toString(l.size()));
            put(':');
            for (Object o : l) {
                write(o, bytesStayBinary);
            }
        } else if (v instanceof Map<?, ?> m) {
            map(m, bytesStayBinary);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new NotCanonical("non-finite double");
            }
            put('d');
            String hex = Long.toHexString(Double.doubleToLongBits(d));
            for (int i = hex.length(); i < 16; i++) {
                put('0');
            }
            ascii(hex);
        } else if (v instanceof BigInteger bi) {
            put('i');
            ascii(bi.toString());
            put(';');
        } else if (v instanceof byte[] b && bytesStayBinary) {
            put('b');
            ascii(Integer.toString(b.length));
            put(':');
            raw(b);
        } else {
            throw new NotCanonical(v.getClass().getName());
        }
    }

    private void map(Map<?, ?> m, boolean bytesStayBinary) {
        mapExcept(m, bytesStayBinary, null, null);
    }

    /** Appends the canonical form of a map without up to two of its keys. */
    void mapExcept(Map<?, ?> m, boolean bytesStayBinary, @Nullable String skip1, @Nullable String skip2) {
        int n = m.size();
        if (skip1 != null && m.containsKey(skip1)) {
            n--;
        }
        if (skip2 != null && m.containsKey(skip2)) {
            n--;
        }
        byte[][] keys = new byte[n][];
        Object[] values = new Object[n];
        Integer[] order = new Integer[n];
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new NotCanonical("map key " + e.getKey());
            }
            if (k.equals(skip1) || k.equals(skip2)) {
                continue;
            }
            keys[i] = k.getBytes(StandardCharsets.UTF_8);
            values[i] = e.getValue();
            order[i] = i;
            i++;
        }
        if (n > 1) {
            Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
        }
        put('m');
        ascii(Integer.toString(n));
        put(':');
        for (int j = 0; j < n; j++) {
            int k = order[j];
            put('s');
            ascii(Integer.toString(keys[k].length));
            put(':');
            raw(keys[k]);
            write(values[k], bytesStayBinary);
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        put('s');
        ascii(Integer.toString(b.length));
        put(':');
        raw(b);
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
