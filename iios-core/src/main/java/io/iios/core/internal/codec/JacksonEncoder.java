package io.iios.core.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.iios.spi.Encoder;
import io.iios.spi.EncodingException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Encoder} on a Jackson {@link ObjectMapper}; the format comes from the mapper's factory.
 * Strict on types: a string is not silently turned into a number, nor a float into an int.
 */
public final class JacksonEncoder implements Encoder {
    private final String name;
    private final ObjectMapper mapper;
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
        this.precheck = precheck;
        // Jackson's default pools buffers per thread; calls run on fresh virtual threads, so every encode and
        // decode would allocate its buffers anew (measured 2x slower than a shared pool, docs/performance.md)
        factory.setRecyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
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
