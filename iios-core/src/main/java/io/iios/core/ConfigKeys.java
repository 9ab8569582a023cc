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
    public static final ConfigKey ENCODER = new ConfigKey("iios.encoder", "json", "json, msgpack or bson (or a custom encoder name)",
            "Encoder for envelopes and payloads. Every node of a namespace must use the same one. bson is Node IIOS 2.x's (JavaScript number semantics), for iios.protocol=node-v2.");
    public static final ConfigKey CALL_TIMEOUT = new ConfigKey("iios.call.timeout", "5s", "a duration such as 500ms, 5s, 1m",
            "Default deadline of a call; the callee drops work whose deadline has passed.");
    public static final ConfigKey CALL_BALANCE = new ConfigKey("iios.call.balance", "round-robin",
            "round-robin or least-in-flight", "How a call picks one of the live instances of a service.");
    public static final ConfigKey CALL_ROUTE = new ConfigKey("iios.call.route", "auto", "auto, broker or http",
            "Path of a call to an instance that advertises an HTTP endpoint (the HTTP module): auto = the broker, falling back to HTTP while the broker path fails; broker = never HTTP; http = always HTTP.");
    public static final ConfigKey CALL_RECOVERY_GRACE = new ConfigKey("iios.call.recovery-grace", "6s",
            "a duration such as 500ms, 5s, 1m; 0s turns it off",
            "With iios.call.route=auto: how long after the broker comes back calls still take an instance's HTTP route, so that no request is published before every node has re-subscribed. Keep it above the transports' reconnect back-off ceiling (Redis: iios.redis.reconnect-backoff-max, 5s).");
    public static final ConfigKey CALL_REPLAY_ENTRIES = new ConfigKey("iios.call.replay-entries", "10000",
            "an integer from 0 to 1000000; 0 turns it off",
            "On a node with an HTTP intercall route: how many recent calls it remembers by caller node id and call id, so that a call re-sent over HTTP after a broker outage gets the first run's reply instead of running again. Its table is allocated at once: about 50 bytes per entry plus up to 16 MiB of request and reply bytes.");
    public static final ConfigKey CALL_REPLAY_KEEP = new ConfigKey("iios.call.replay-keep", "5s",
            "a duration such as 500ms, 5s, 1m",
            "How long past its deadline a remembered call is kept (differences between the nodes' clocks).");
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

    public static final ConfigKey PROTOCOL = new ConfigKey("iios.protocol", "native", "native or node-v2",
            "Wire protocol profile: native (docs/protocol.md) or node-v2, the protocol of Node IIOS 2.5.3, to share a namespace with Node services (docs/migrating-from-node.md).");
    public static final ConfigKey NODE_V2_HTTP_RPC = new ConfigKey("iios.node-v2.http-rpc", "false", "true or false",
            "node-v2: hosted services register pubsubRPCEnabled=false and are called over HTTP (needs the HTTP module); false: they subscribe their method channels.");
    public static final ConfigKey NODE_V2_AC_NAMESPACE = new ConfigKey("iios.node-v2.ac-namespace", "iios",
            "one channel segment: 1-128 letters, digits, '_' or '-', starting with a letter",
            "node-v2: Node's accesscontrol.namespace, the ACNS of the keys __role:ACNS:ROLE and __user:ACNS:USER.");
    public static final ConfigKey NODE_V2_RBAC_URI = new ConfigKey("iios.node-v2.rbac-uri", "",
            "a Redis URI such as redis://127.0.0.1:6379/1",
            "node-v2: the Redis database holding roles and users (Node's accesscontrol connector). Default: iios.redis.uri with database 1.");
    public static final ConfigKey NODE_V2_HEARTBEAT = new ConfigKey("iios.node-v2.heartbeat", "",
            "a duration such as 5s; empty: no heartbeats",
            "node-v2: period of Node's heartbeat messages (status starting, alive, stopping) for each hosted service, like Node's heartbeatPeriod option.");
    public static final ConfigKey NODE_V2_TRUST_CALLER_IDENTITY = new ConfigKey("iios.node-v2.trust-caller-identity",
            "true", "true or false",
            "node-v2: believe the userId and privileged flag a caller writes in a request (Node does). false: every incoming node-v2 call is anonymous and unprivileged (docs/security.md).");
    public static final ConfigKey RBAC_ENABLED = new ConfigKey("iios.rbac.enabled", "false", "true or false",
            "Checks every call against the roles and user bindings in the KV store (docs/security.md). Off, like the seed, unless set.");
    public static final ConfigKey RBAC_CACHE_TTL = new ConfigKey("iios.rbac.cache-ttl", "10s",
            "a duration such as 500ms, 5s, 1m",
            "How long a node trusts its cached roles and bindings when no change message reaches it; changes made through the admin API apply at once.");
    public static final ConfigKey SECURITY_KEY = new ConfigKey("iios.security.key", "",
            "a secret of at least 32 bytes, as text or base64:...",
            "Signs every envelope this node sends (HMAC-SHA256) and makes it drop unsigned, forged or stale ones. Same value on every node.");
    public static final ConfigKey SECURITY_PREVIOUS_KEY = new ConfigKey("iios.security.previous-key", "",
            "a secret of at least 32 bytes, as text or base64:...",
            "A second key whose signatures are accepted (never used to sign) until iios.security.previous-key-until, for key rotation.");
    public static final ConfigKey SECURITY_PREVIOUS_KEY_UNTIL = new ConfigKey("iios.security.previous-key-until", "",
            "an ISO-8601 instant such as 2026-01-31T00:00:00Z",
            "When iios.security.previous-key stops being accepted. Required with it.");
    public static final ConfigKey SECURITY_MAX_SKEW = new ConfigKey("iios.security.max-skew", "30s",
            "a duration such as 500ms, 5s, 1m",
            "Largest difference between a signed message's timestamp and this node's clock; older or later messages are dropped as stale.");
    public static final ConfigKey AUTH_JWT_SECRET = new ConfigKey("iios.auth.jwt.secret", "",
            "a secret of at least 32 bytes, as text or base64:...",
            "JwtAuthenticator: HMAC secret that bearer tokens (HS256/384/512) must be signed with.");
    public static final ConfigKey AUTH_JWT_PUBLIC_KEY = new ConfigKey("iios.auth.jwt.public-key", "",
            "path of a PEM file holding an RSA or EC public key",
            "JwtAuthenticator: public key that bearer tokens (RS*, PS*, ES*) must be signed with.");
    public static final ConfigKey AUTH_JWT_JWKS_FILE = new ConfigKey("iios.auth.jwt.jwks-file", "",
            "path of a JSON Web Key Set file",
            "JwtAuthenticator: keys (selected by the token's kid) that bearer tokens must be signed with.");
    public static final ConfigKey AUTH_JWT_ISSUER = new ConfigKey("iios.auth.jwt.issuer", "",
            "the exact iss claim", "JwtAuthenticator: when set, tokens must carry this issuer.");
    public static final ConfigKey AUTH_JWT_AUDIENCE = new ConfigKey("iios.auth.jwt.audience", "",
            "one audience value", "JwtAuthenticator: when set, tokens must list this audience.");
    public static final ConfigKey AUTH_JWT_CLOCK_SKEW = new ConfigKey("iios.auth.jwt.clock-skew", "60s",
            "a duration such as 500ms, 5s, 1m", "JwtAuthenticator: tolerance when checking exp and nbf.");
    public static final ConfigKey AUTH_HEADER_NAME = new ConfigKey("iios.auth.header.name", "X-Forwarded-User",
            "an HTTP header name", "TrustedHeaderAuthenticator: the header a trusted proxy sets to the authenticated user id.");
    public static final ConfigKey AUTH_HEADER_PROXIES = new ConfigKey("iios.auth.header.proxies", "",
            "comma-separated IP addresses or CIDR ranges such as 10.0.0.5, 10.1.0.0/16",
            "TrustedHeaderAuthenticator: the only peers whose header is believed; empty trusts nobody.");

    /** All of them, in documentation order. */
    public static final List<ConfigKey> ALL = List.of(NAMESPACE, TRANSPORT, ENCODER, CALL_TIMEOUT, CALL_BALANCE,
            CALL_ROUTE, CALL_RECOVERY_GRACE, CALL_REPLAY_ENTRIES, CALL_REPLAY_KEEP, DISCOVERY_TTL, DISCOVERY_HEARTBEAT, MESSAGE_MAX_BYTES, STREAM_CHUNK_SIZE,
            STREAM_WINDOW, STREAM_IDLE_TIMEOUT, SERVICES, NODE_NAME, PROTOCOL, NODE_V2_HTTP_RPC, NODE_V2_AC_NAMESPACE,
            NODE_V2_RBAC_URI, NODE_V2_HEARTBEAT, NODE_V2_TRUST_CALLER_IDENTITY, RBAC_ENABLED, RBAC_CACHE_TTL,
            SECURITY_KEY, SECURITY_PREVIOUS_KEY, SECURITY_PREVIOUS_KEY_UNTIL, SECURITY_MAX_SKEW, AUTH_JWT_SECRET,
            AUTH_JWT_PUBLIC_KEY, AUTH_JWT_JWKS_FILE, AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE, AUTH_JWT_CLOCK_SKEW,
            AUTH_HEADER_NAME, AUTH_HEADER_PROXIES);

    private ConfigKeys() {
    }
}
