package io.iios.spi;

import java.util.Map;
import java.util.Optional;

/**
 * What a {@link TransportProvider} receives: the node's namespace, every {@code iios.*} setting
 * (already merged from file, environment and system properties) and the listener for background
 * events.
 */
public interface TransportConfig {

    /** The namespace, the first segment of every key and channel the node uses. */
    String namespace();

    /** All {@code iios.*} settings, keys in their dotted form. */
    Map<String, String> properties();

    /** One setting. */
    default Optional<String> get(String key) {
        return Optional.ofNullable(properties().get(key));
    }

    /** Where background failures, reconnects and drops must be reported. */
    TransportListener listener();

    /** A simple immutable config, for tests and embedding. */
    static TransportConfig of(String namespace, Map<String, String> properties, TransportListener listener) {
        Map<String, String> copy = Map.copyOf(properties);
        return new TransportConfig() {
            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public Map<String, String> properties() {
                return copy;
            }

            @Override
            public TransportListener listener() {
                return listener;
            }
        };
    }
}
