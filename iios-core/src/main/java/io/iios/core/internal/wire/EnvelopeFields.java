package io.iios.core.internal.wire;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The top-level fields of a request or reply envelope as an {@link EnvelopeCodec} reads them, seen as a
 * read-only map so that {@link Wire.Request#from} and {@link Wire.Reply#from} validate them with the same
 * code and texts as a map from the generic decoder. Holds only the fields those readers use; others
 * are skipped by the reader.
 */
public final class EnvelopeFields extends AbstractMap<String, @Nullable Object> {
    private static final String[] NAMES = {"v", "t", "id", "s", "m", "a", "r", "dl", "n", "u", "tp", "priv", "ok",
        "res", "err"};
    /** How many slots there are: {@link #slot} answers below this. */
    public static final int SLOTS = NAMES.length;

    private final @Nullable Object[] values = new Object[NAMES.length];
    private int present;

    /** The slot of a field the envelope readers use, or -1 for a field they ignore. */
    public static int slot(String name) {
        return switch (name) {
            case "v" -> 0;
            case "t" -> 1;
            case "id" -> 2;
            case "s" -> 3;
            case "m" -> 4;
            case "a" -> 5;
            case "r" -> 6;
            case "dl" -> 7;
            case "n" -> 8;
            case "u" -> 9;
            case "tp" -> 10;
            case "priv" -> 11;
            case "ok" -> 12;
            case "res" -> 13;
            case "err" -> 14;
            default -> -1;
        };
    }

    /** {@link #slot(String)} of a name given as ASCII bytes ({@code len} of them from {@code start}). */
    public static int slot(byte[] bytes, int start, int len) {
        for (int s = 0; s < NAMES.length; s++) {
            String name = NAMES[s];
            if (name.length() == len) {
                int k = 0;
                while (k < len && bytes[start + k] == name.charAt(k)) {
                    k++;
                }
                if (k == len) {
                    return s;
                }
            }
        }
        return -1;
    }

    /** Sets a field; a field read twice keeps its last value, as a map would. */
    public void set(int slot, @Nullable Object value) {
        values[slot] = value;
        present |= 1 << slot;
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
        int slot = key instanceof String name ? slot(name) : -1;
        return slot < 0 ? null : values[slot];
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
        int slot = key instanceof String name ? slot(name) : -1;
        return slot >= 0 && (present & (1 << slot)) != 0;
    }

    @Override
    public Set<Entry<String, @Nullable Object>> entrySet() {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((present & (1 << i)) != 0) {
                m.put(NAMES[i], values[i]);
            }
        }
        return Collections.unmodifiableMap(m).entrySet();
    }
}
