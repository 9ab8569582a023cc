package io.iios.core;

import java.util.List;

/** Every configuration key core reads. Transports declare their own through their provider. */
public final class ConfigKeys {
    public static final ConfigKey NAMESPACE = new ConfigKey("iios.namespace", "iios",
            "one channel segment: 1-128 letters, digits, '_' or '-', starting with a letter",
            "Namespace: the first segment of every key and channel; two namespaces on one broker never see each other.");
    public static final ConfigKey TRANSPORT = new ConfigKey("iios.transport", "",
            "a transport name such as memory, redis, nats, mqtt, http",
            "Transport to use. Empty: the only non-memory transport on the classpath, else the embedded memory transport.");
    public static final ConfigKey ENCODER = new ConfigKey("iios.encoder", "json", "json or msgpack (or a custom encoder name)",
            "Encoder for envelopes and payloads. Every node of a namespace must use the same one.");
    public static final ConfigKey CALL_TIMEOUT = new ConfigKey("iios.call.timeout", "5s", "a duration such as 500ms, 5s, 1m",
            "Default deadline of a call; the callee drops work whose deadline has passed.");
    public static final ConfigKey CALL_BALANCE = new ConfigKey("iios.call.balance", "round-robin",
            "round-robin or least-in-flight", "How a call picks one of the live instances of a service.");
    public static final ConfigKey DISCOVERY_TTL = new ConfigKey("iios.discovery.ttl", "10s", "a duration of at least 300ms",
            "Time-to-live of an instance record: a crashed instance disappears from every view within it.");
    public static final ConfigKey DISCOVERY_HEARTBEAT = new ConfigKey("iios.discovery.heartbeat", "",
            "a duration shorter than iios.discovery.ttl",
            "How often an instance refreshes its record. Default: a third of iios.discovery.ttl.");
    public static final ConfigKey MESSAGE_MAX_BYTES = new ConfigKey("iios.message.max-bytes", "4MiB",
            "a size such as 65536, 512KiB, 4MiB",
            "Largest message a node sends or accepts; larger requests fail with BadMessage, larger incoming ones are dropped.");
    public static final ConfigKey STREAM_CHUNK_SIZE = new ConfigKey("iios.stream.chunk-size", "64KiB",
            "a size of at least 1KiB whose encoded chunk (base64 with json) fits iios.message.max-bytes",
            "Largest chunk of a byte stream; a reader tells its producer the largest it accepts.");
    public static final ConfigKey STREAM_WINDOW = new ConfigKey("iios.stream.window", "16",
            "an integer from 1 to 1024 (chunks)",
            "Credit a reader grants per stream, in chunks: at most window x chunk-size bytes are in flight or buffered per stream.");
    public static final ConfigKey STREAM_IDLE_TIMEOUT = new ConfigKey("iios.stream.idle-timeout", "15s",
            "a duration of at least 300ms",
            "A stream fails when the other side sends nothing (heartbeats included) for this long; heartbeats go every third of it.");
    public static final ConfigKey SERVICES = new ConfigKey("iios.services", "",
            "comma-separated class names", "Service classes `iios serve` instantiates and hosts (public no-argument constructors).");
    public static final ConfigKey NODE_NAME = new ConfigKey("iios.node.name", "",
            "one channel segment: 1-128 letters, digits, '_' or '-', starting with a letter", "Prefix of the node id, to recognise a node in `iios ls`; default: the host name.");

    /** All of them, in documentation order. */
    public static final List<ConfigKey> ALL = List.of(NAMESPACE, TRANSPORT, ENCODER, CALL_TIMEOUT, CALL_BALANCE,
            DISCOVERY_TTL, DISCOVERY_HEARTBEAT, MESSAGE_MAX_BYTES, STREAM_CHUNK_SIZE, STREAM_WINDOW, STREAM_IDLE_TIMEOUT,
            SERVICES, NODE_NAME);

    private ConfigKeys() {
    }
}
