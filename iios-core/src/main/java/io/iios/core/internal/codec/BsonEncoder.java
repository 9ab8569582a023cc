package io.iios.core.internal.codec;

import io.iios.spi.Encoder;
import io.iios.spi.EncodingException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonBinary;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.BsonWriter;
import org.bson.io.BasicOutputBuffer;
import org.jspecify.annotations.Nullable;

/**
 * {@code iios.encoder=bson}: BSON documents (org.mongodb:bson), as Node IIOS 2.x's {@code bson} encoder
 * writes them (bson 4.7): integers in int32 range as int32, other integers as int64, other numbers as
 * double, arrays as BSON arrays, {@code byte[]} as binary, dates as UTC datetime. A value that is not
 * a map travels wrapped as {@code {"$v": value}}. Decoding yields the generic value model: int32 →
 * Integer, int64 → Integer or Long, an integral double outside int32 (a JS number) → Long, binary →
 * byte[], datetime → epoch milliseconds, undefined → null. Conversions to parameter types are the JSON
 * encoder's.
 */
public final class BsonEncoder implements Encoder {
    static final String WRAPPED = "$v";
    private static final double MAX_SAFE = 9007199254740991d;

    private final Encoder json = new JsonEncoderProvider().create();

    @Override
    public String name() {
        return "bson";
    }

    @Override
    public byte[] encode(@Nullable Object value) {
        Map<?, ?> doc = value instanceof Map<?, ?> m ? m : Map.of(WRAPPED, value == null ? NULL : value);
        try (BasicOutputBuffer out = new BasicOutputBuffer(); BsonBinaryWriter w = new BsonBinaryWriter(out)) {
            writeDocument(w, doc, 0);
            return out.toByteArray();
        } catch (EncodingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EncodingException("bson cannot encode " + describe(value) + ": " + e.getMessage(), e);
        }
    }

    private static final Object NULL = new Object();

    private void writeDocument(BsonWriter w, Map<?, ?> doc, int depth) {
        depth(depth);
        w.writeStartDocument();
        for (Map.Entry<?, ?> e : doc.entrySet()) {
            w.writeName(String.valueOf(e.getKey()));
            writeValue(w, e.getValue() == NULL ? null : e.getValue(), depth + 1);
        }
        w.writeEndDocument();
    }

    private void writeValue(BsonWriter w, @Nullable Object v, int depth) {
        depth(depth);
        switch (v) {
            case null -> w.writeNull();
            case String s -> w.writeString(s);
            case Boolean b -> w.writeBoolean(b);
            case Integer i -> w.writeInt32(i);
            case Short s -> w.writeInt32(s);
            case Byte b -> w.writeInt32(b);
            case Long l -> {
                if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                    w.writeInt32(l.intValue());
                } else {
                    w.writeInt64(l);
                }
            }
            case BigInteger bi -> {
                if (bi.bitLength() < 64) {
                    writeValue(w, bi.longValue(), depth);
                } else {
                    w.writeDouble(bi.doubleValue());
                }
            }
            case BigDecimal bd -> w.writeDouble(bd.doubleValue());
            case Number n -> w.writeDouble(n.doubleValue());
            case byte[] bytes -> w.writeBinaryData(new BsonBinary(bytes));
            case ByteBuffer bb -> {
                byte[] bytes = new byte[bb.remaining()];
                bb.duplicate().get(bytes);
                w.writeBinaryData(new BsonBinary(bytes));
            }
            case Instant t -> w.writeDateTime(t.toEpochMilli());
            case Date d -> w.writeDateTime(d.getTime());
            case Map<?, ?> m -> writeDocument(w, m, depth);
            case Collection<?> c -> {
                w.writeStartArray();
                for (Object o : c) {
                    writeValue(w, o, depth + 1);
                }
                w.writeEndArray();
            }
            case Object[] a -> writeValue(w, List.of(a).stream().toList(), depth);
            case Character c -> w.writeString(String.valueOf(c));
            case Enum<?> en -> w.writeString(en.name());
            default -> {
                // records, beans, java.time types...: the JSON encoder's generic form of them
                Object generic = json.decode(json.encode(v));
                if (generic != null && generic.getClass() == v.getClass()) {
                    throw new EncodingException("bson cannot encode " + describe(v), null);
                }
                writeValue(w, generic, depth);
            }
        }
    }

    private static void depth(int depth) {
        if (depth > 200) {
            throw new EncodingException("bson: value nested deeper than 200 levels", null);
        }
    }

    @Override
    public @Nullable Object decode(byte[] bytes, Type type) {
        if (bytes.length < 5) {
            throw new EncodingException("bson cannot decode " + bytes.length + " bytes: a document has at least 5",
                    null);
        }
        int declared = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16 | (bytes[3] & 0xff) << 24;
        if (declared != bytes.length) {
            throw new EncodingException("bson: buffer length " + bytes.length + " must === bson size " + declared,
                    null);
        }
        Object value;
        try (BsonBinaryReader r = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
            Map<String, @Nullable Object> doc = readDocument(r, 0);
            value = doc.size() == 1 && doc.containsKey(WRAPPED) ? doc.get(WRAPPED) : doc;
        } catch (EncodingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EncodingException("bson cannot decode " + bytes.length + " bytes: " + e.getMessage(), e);
        }
        return type == Object.class ? value : convert(value, type);
    }

    private Map<String, @Nullable Object> readDocument(BsonReader r, int depth) {
        depth(depth);
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        r.readStartDocument();
        while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
            String name = r.readName();
            Object v = readValue(r, depth + 1);
            if (v != UNDEFINED) {
                out.put(name, v);
            }
        }
        r.readEndDocument();
        return out;
    }

    private static final Object UNDEFINED = new Object();

    private @Nullable Object readValue(BsonReader r, int depth) {
        depth(depth);
        BsonType t = r.getCurrentBsonType();
        return switch (t) {
            case NULL -> {
                r.readNull();
                yield null;
            }
            case UNDEFINED -> {
                r.readUndefined();
                yield UNDEFINED;
            }
            case STRING -> r.readString();
            case SYMBOL -> r.readSymbol();
            case BOOLEAN -> r.readBoolean();
            case INT32 -> r.readInt32();
            case INT64 -> {
                long l = r.readInt64();
                yield l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
            }
            case DOUBLE -> {
                double d = r.readDouble();
                yield d == Math.rint(d) && Math.abs(d) <= MAX_SAFE && Math.abs(d) > Integer.MAX_VALUE
                        ? (Object) (long) d : (Object) d;
            }
            case DECIMAL128 -> r.readDecimal128().bigDecimalValue().doubleValue();
            case BINARY -> r.readBinaryData().getData();
            case DATE_TIME -> r.readDateTime();
            case TIMESTAMP -> r.readTimestamp().getValue();
            case OBJECT_ID -> r.readObjectId().toHexString();
            case DOCUMENT -> readDocument(r, depth);
            case ARRAY -> {
                List<@Nullable Object> list = new ArrayList<>();
                r.readStartArray();
                while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
                    Object v = readValue(r, depth + 1);
                    list.add(v == UNDEFINED ? null : v);
                }
                r.readEndArray();
                yield list;
            }
            default -> {
                r.skipValue();
                yield UNDEFINED;
            }
        };
    }

    @Override
    public @Nullable Object convert(@Nullable Object value, Type type) {
        return json.convert(value, type);
    }

    private static String describe(@Nullable Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
