package io.iios.core.internal.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.iios.core.internal.wire.EnvelopeCodec;
import io.iios.core.internal.wire.EnvelopeFields;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Encoder;
import io.iios.spi.EncodingException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Encoder} on a Jackson {@link ObjectMapper}; the format comes from the mapper's factory.
 * Strict on types: a string is not silently turned into a number, nor a float into an int.
 *
 * <p>As an {@link EnvelopeCodec} it writes and reads call envelopes with the streaming API of the same
 * factory (same buffer pool): the envelope's own fields directly, arguments and results through the
 * mapper, so the bytes and the decoded values are those of the map path. In JSON, the common envelope
 * (printable ASCII, integers, booleans, arrays) skips even the generator and parser
 * ({@link JsonEnvelopeShortcut}), with the same bytes and values.
 */
public final class JacksonEncoder implements Encoder, EnvelopeCodec {
    private final String name;
    private final JsonFactory factory;
    private final ObjectMapper mapper;
    /** Reads one value of an envelope, not the whole message: the trailing-token check is the envelope's. */
    private final ObjectReader valueReader;
    /** Writes one value of an envelope; the generator is flushed once, when it closes. */
    private final ObjectWriter valueWriter;
    private final boolean json;
    private final Map<Type, JavaType> types = new ConcurrentHashMap<>();
    private final Function<byte[], @Nullable String> precheck;

    public JacksonEncoder(String name, JsonFactory factory) {
        this(name, factory, bytes -> null);
    }

    /**
     * @param precheck looks at the raw bytes before Jackson does and returns what is wrong with them, or null;
     *     for formats whose parser trusts declared lengths
     */
    public JacksonEncoder(String name, JsonFactory factory, Function<byte[], @Nullable String> precheck) {
        this.name = name;
        this.factory = factory;
        this.precheck = precheck;
        this.json = JsonFactory.FORMAT_NAME_JSON.equals(factory.getFormatName());
        // Jackson's default pools buffers per thread; calls run on fresh virtual threads, so every encode and
        // decode would allocate its buffers anew (measured 2x slower than a shared pool, docs/performance.md)
        factory.setRecyclerPool(new SlotRecyclerPool());
        this.mapper = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // "{...}garbage" is not a valid JSON message; msgpack's parser cannot check this (it throws at end of input)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        JsonFactory.FORMAT_NAME_JSON.equals(factory.getFormatName()))
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        this.valueReader = mapper.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.valueWriter = mapper.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] encode(@Nullable Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new EncodingException(name + " cannot encode " + describe(value) + ": " + firstLine(e), e);
        }
    }

    @Override
    public @Nullable Object decode(byte[] bytes, Type type) {
        if (bytes.length == 0) {
            throw new EncodingException(name + " cannot decode an empty message", null);
        }
        String problem = precheck.apply(bytes);
        if (problem != null) {
            throw new EncodingException(name + " cannot decode " + bytes.length + " bytes as " + type.getTypeName()
                    + ": " + problem, null);
        }
        try {
            return mapper.readValue(bytes, javaType(type));
        } catch (Exception e) {
            throw new EncodingException(name + " cannot decode " + bytes.length + " bytes as " + type.getTypeName()
                    + ": " + firstLine(e), e);
        }
    }

    @Override
    public @Nullable Object convert(@Nullable Object value, Type type) {
        try {
            return mapper.convertValue(value, javaType(type));
        } catch (Exception e) {
            throw new EncodingException("cannot convert " + describe(value) + " to " + type.getTypeName() + ": "
                    + firstLine(e), e);
        }
    }

    // ---------------------------------------------------------------- EnvelopeCodec

    @Override
    public byte[] encodeRequest(Wire.Request r) {
        if (json) {
            byte[] simple = JsonEnvelopeShortcut.request(r);
            if (simple != null) {
                return simple;
            }
        }
        // the fields and their order of Wire.Request.toMap
        return writeEnvelope(g -> {
            g.writeStartObject();
            g.writeNumberField("v", Wire.VERSION);
            g.writeStringField("t", "req");
            g.writeNumberField("id", r.id());
            g.writeStringField("s", r.service());
            g.writeStringField("m", r.method());
            g.writeFieldName("a");
            List<@Nullable Object> args = r.args();
            int n = args.size();
            g.writeStartArray(args, n);
            for (int i = 0; i < n; i++) {
                writeValue(g, args.get(i));
            }
            g.writeEndArray();
            g.writeStringField("r", r.replyTo());
            g.writeNumberField("dl", r.deadlineMillis());
            g.writeStringField("n", r.callerNode());
            if (r.userId() != null) {
                g.writeStringField("u", r.userId());
            }
            if (r.traceparent() != null) {
                g.writeStringField("tp", r.traceparent());
            }
            if (r.privileged()) {
                g.writeBooleanField("priv", true);
            }
            g.writeEndObject();
        }, r, null);
    }

    @Override
    public byte[] encodeReply(Wire.Reply r) {
        if (json) {
            byte[] simple = JsonEnvelopeShortcut.reply(r);
            if (simple != null) {
                return simple;
            }
        }
        // the fields and their order of Wire.Reply.toMap
        return writeEnvelope(g -> {
            g.writeStartObject();
            g.writeNumberField("v", Wire.VERSION);
            g.writeStringField("t", "res");
            g.writeNumberField("id", r.id());
            g.writeBooleanField("ok", r.ok());
            if (r.ok()) {
                g.writeFieldName("res");
                writeValue(g, r.result());
            } else {
                g.writeObjectFieldStart("err");
                g.writeStringField("code", String.valueOf(r.code()));
                g.writeStringField("type", r.errorType());
                g.writeStringField("msg", r.errorMessage());
                g.writeEndObject();
            }
            g.writeEndObject();
        }, null, r);
    }

    private interface EnvelopeWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Runs {@code body} on a generator (whose buffer comes from the pool); {@code request} or {@code reply} names
     * it in errors. The generator hands its whole buffer over once, at close, so the bytes are copied once, into
     * an array of their exact size ({@link Capture}).
     */
    private byte[] writeEnvelope(EnvelopeWriter body, Wire.@Nullable Request request, Wire.@Nullable Reply reply) {
        Capture out = new Capture();
        try {
            try (JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8)) {
                body.write(g);
            }
            return out.toByteArray();
        } catch (Exception e) {
            String what = request != null ? "the request to " + request.service() + "." + request.method()
                    : "the reply " + (reply == null ? "" : reply.id());
            throw new EncodingException(name + " cannot encode " + what + ": " + firstLine(e), e);
        }
    }

    /**
     * The output of one envelope: the generator's first write becomes the result array as it is (usually the
     * only write: the generator buffers everything and flushes at close); later writes, if any, are appended.
     */
    static final class Capture extends OutputStream {
        private static final byte[] NONE = new byte[0];
        private byte[] bytes = NONE;
        private int length;

        @Override
        public void write(int b) {
            room(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (length == 0 && bytes.length == 0) {
                bytes = Arrays.copyOfRange(b, off, off + len);
                length = len;
                return;
            }
            room(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + more, Math.max(64, bytes.length * 2)));
            }
        }

        byte[] toByteArray() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }

    /** A value as the mapper writes it; the common scalars directly (the same calls its serializers make). */
    private void writeValue(JsonGenerator g, @Nullable Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Integer i -> g.writeNumber(i.intValue());
            case Long l -> g.writeNumber(l.longValue());
            case Boolean b -> g.writeBoolean(b.booleanValue());
            default -> valueWriter.writeValue(g, v);
        }
    }

    @Override
    public Map<?, ?> decodeEnvelope(byte[] bytes) {
        if (bytes.length == 0 || precheck.apply(bytes) != null) {
            return Wire.asMap(decode(bytes)); // throws the map path's error
        }
        if (json) {
            EnvelopeFields simple = JsonEnvelopeShortcut.read(bytes);
            if (simple != null) {
                return simple;
            }
        }
        try (JsonParser p = mapper.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Wire.asMap(decode(bytes));
            }
            EnvelopeFields fields = new EnvelopeFields();
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                int slot = EnvelopeFields.slot(field);
                if (slot < 0) {
                    p.skipChildren();
                } else {
                    fields.set(slot, readValue(p, t));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || json && p.nextToken() != null) {
                return Wire.asMap(decode(bytes));
            }
            return fields;
        } catch (IOException | RuntimeException e) {
            // not well-formed: the map path says what is wrong, with its words
            return Wire.asMap(decode(bytes));
        }
    }

    /** A value as the mapper reads it into Object: strings, integers, booleans and arrays here, the rest by it. */
    private @Nullable Object readValue(JsonParser p, @Nullable JsonToken t) throws IOException {
        if (t == null) {
            throw new IOException("unexpected end of input");
        }
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case START_ARRAY -> {
                List<@Nullable Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, e));
                }
                yield list;
            }
            default -> valueReader.readValue(p);
        };
    }

    private JavaType javaType(Type type) {
        return types.computeIfAbsent(type, t -> mapper.getTypeFactory().constructType(t));
    }

    private static String describe(@Nullable Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
