package io.iios.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** JSON in and out of the command line. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** One line of JSON. */
    static String write(@Nullable Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** An argument: JSON ({@code 1}, {@code "x"}, {@code [1,2]}, {@code {"a":1}}, {@code null}), else the word as a string. */
    static @Nullable Object argument(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    static List<@Nullable Object> arguments(List<String> texts) {
        List<@Nullable Object> out = new ArrayList<>(texts.size());
        texts.forEach(t -> out.add(argument(t)));
        return out;
    }
}
