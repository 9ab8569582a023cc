package io.iios.spi;

/**
 * Factory for an {@link Encoder}, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.iios.spi.EncoderProvider}) and selected with {@code iios.encoder}.
 */
public interface EncoderProvider {

    /** Unique, lower-case name, e.g. {@code json}. */
    String name();

    /** Creates a ready encoder; may return a shared instance since encoders are thread-safe. */
    Encoder create();
}
