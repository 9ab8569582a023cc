package io.iios.core.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;

/** {@code iios.encoder=json}: UTF-8 JSON; byte arrays travel as base64 strings. */
public final class JsonEncoderProvider implements EncoderProvider {
    private static final Encoder INSTANCE = new JacksonEncoder("json", new JsonFactory());

    @Override
    public String name() {
        return "json";
    }

    @Override
    public Encoder create() {
        return INSTANCE;
    }
}
