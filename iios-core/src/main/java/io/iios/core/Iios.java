package io.iios.core;

import io.iios.api.Service;
import io.iios.core.internal.CallOptions;
import io.iios.core.internal.DiscoveryOptions;
import io.iios.core.internal.NodeOptions;
import io.iios.core.internal.ProviderSelection;
import io.iios.core.internal.StreamOptions;
import io.iios.core.internal.rbac.RbacOptions;
import io.iios.core.internal.security.SecurityOptions;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.NativeProtocol;
import io.iios.core.internal.wire.NodeV2Names;
import io.iios.core.internal.wire.NodeV2Protocol;
import io.iios.core.internal.wire.Protocol;
import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: builds and starts a node.
 *
 * <pre>{@code
 * try (IiosNode node = Iios.builder().service(new Bob()).start()) {
 *     node.gateway().waitForService("bob", Duration.ofSeconds(5));
 *     Object sum = node.gateway().call("bob", "add", 1, 2);
 * }
 * }</pre>
 */
public final class Iios {
    private static final Logger LOG = LoggerFactory.getLogger(Iios.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private Iios() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a node; {@link #start()} is the one door. */
    public static final class Builder {
        private @Nullable Config config;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private @Nullable Function<TransportListener, Transport> transport;
        private @Nullable MeterRegistry meterRegistry;
        private @Nullable ClassLoader classLoader;
        private final List<Map.Entry<String, Object>> services = new ArrayList<>();

        private Builder() {
        }

        /** The configuration; default {@link Config#load()}. */
        public Builder config(Config config) {
            this.config = config;
            return this;
        }

        /** One setting, over any source. */
        public Builder set(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Uses this transport connection (e.g. {@code MemoryBroker.connect()}) instead of a provider. */
        public Builder transport(Transport transport) {
            this.transport = l -> transport;
            return this;
        }

        /** Uses a transport made for the node's listener (e.g. {@code broker::connect}). */
        public Builder transport(Function<TransportListener, Transport> factory) {
            this.transport = factory;
            return this;
        }

        /** Where meters go; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** The class loader providers are looked up in; default the thread's context class loader. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** Hosts a service object whose class is annotated {@link Service}. */
        public Builder service(Object implementation) {
            Service s = implementation.getClass().getAnnotation(Service.class);
            if (s == null) {
                throw new IllegalArgumentException(implementation.getClass().getName()
                        + " has no @Service annotation; use service(name, implementation)");
            }
            return service(s.value(), implementation);
        }

        /** Hosts a service object under a name. */
        public Builder service(String name, Object implementation) {
            Names.requireName(name, "service name");
            for (Map.Entry<String, Object> e : services) {
                if (e.getKey().equals(name)) {
                    throw new IllegalArgumentException("service '" + name + "' is registered twice on this node");
                }
            }
            services.add(new AbstractMap.SimpleImmutableEntry<>(name, implementation));
            return this;
        }

        /**
         * Selects transport and encoder, connects, registers the services and starts discovery.
         *
         * @throws io.iios.api.ConfigException on an invalid setting, naming key, value and expected form
         */
        public IiosNode start() {
            ClassLoader cl = classLoader != null ? classLoader
                    : Thread.currentThread().getContextClassLoader() != null
                            ? Thread.currentThread().getContextClassLoader() : Iios.class.getClassLoader();
            List<TransportProvider> providers = ProviderSelection.transports(cl);
            Set<String> providerKeys = new HashSet<>();
            providers.forEach(p -> providerKeys.addAll(p.configKeys()));
            List<io.iios.core.extension.NodeExtension> extensions = ProviderSelection.extensions(cl);
            extensions.forEach(e -> providerKeys.addAll(e.configKeys()));
            Config base = config != null ? config : Config.load(null, System.getenv(), System.getProperties(),
                    providerKeys);
            Config cfg = base.with(overrides);
            NodeOptions node = NodeOptions.from(cfg);
            CallOptions call = CallOptions.from(cfg);
            DiscoveryOptions discovery = DiscoveryOptions.from(cfg);
            StreamOptions streamOptions = StreamOptions.from(cfg);
            SecurityOptions security = SecurityOptions.from(cfg);
            RbacOptions rbac = RbacOptions.from(cfg);
            for (String unknown : cfg.unknownKeys(providerKeys)) {
                LOG.warn("unknown configuration key {} is ignored", unknown);
            }
            // bson is Node IIOS 2.x's format, not a general-purpose encoder (no NUL in map keys, no integers
            // beyond 64 bits), so it is not offered through ServiceLoader to transports and the TCK
            EncoderProvider ep = node.encoder().equals("bson") ? new io.iios.core.internal.codec.BsonEncoderProvider()
                    : ProviderSelection.encoder(node.encoder(), ProviderSelection.encoders(cl));
            Encoder encoder = ep.create();
            String nodeId = node.nodeName() + "-" + randomId(8);
            String protocolId = cfg.oneOf(ConfigKeys.PROTOCOL, NativeProtocol.ID, NodeV2Protocol.ID);
            Protocol protocol;
            Map<String, String> rbacStore = null;
            if (protocolId.equals(NodeV2Protocol.ID)) {
                if (security.signing()) {
                    throw cfg.invalid(ConfigKeys.SECURITY_KEY.key(), "(set)", "empty with iios.protocol=node-v2: "
                            + "Node IIOS 2.x neither signs nor checks envelopes (docs/migrating-from-node.md)");
                }
                String acns = cfg.string(ConfigKeys.NODE_V2_AC_NAMESPACE);
                if (!Names.isName(acns)) {
                    throw cfg.invalid(ConfigKeys.NODE_V2_AC_NAMESPACE.key(), acns, ConfigKeys.NODE_V2_AC_NAMESPACE.form());
                }
                java.time.Duration heartbeat = cfg.get(ConfigKeys.NODE_V2_HEARTBEAT.key()).filter(v -> !v.isBlank())
                        .map(v -> cfg.duration(ConfigKeys.NODE_V2_HEARTBEAT.key(), java.time.Duration.ZERO))
                        .orElse(null);
                if (heartbeat != null && heartbeat.toMillis() < 1) {
                    throw cfg.invalid(ConfigKeys.NODE_V2_HEARTBEAT.key(), cfg.string(ConfigKeys.NODE_V2_HEARTBEAT),
                            ConfigKeys.NODE_V2_HEARTBEAT.form());
                }
                protocol = new NodeV2Protocol(new NodeV2Names(node.namespace(), acns),
                        cfg.bool(ConfigKeys.NODE_V2_HTTP_RPC.key(), false),
                        cfg.bool(ConfigKeys.NODE_V2_TRUST_CALLER_IDENTITY.key(), true), heartbeat);
                if (rbac.enabled()) {
                    rbacStore = new LinkedHashMap<>(cfg.asMap());
                    rbacStore.put("iios.redis.uri", rbacUri(cfg));
                }
            } else {
                protocol = new NativeProtocol(new Names(node.namespace()));
            }
            MeterRegistry registry = meterRegistry != null ? meterRegistry : new SimpleMeterRegistry();
            NodeListener listener = new NodeListener(nodeId);
            Transport t;
            Transport acStore = null;
            if (transport != null) {
                t = transport.apply(listener);
            } else {
                TransportProvider tp = ProviderSelection.transport(node.transport(), providers);
                t = tp.create(TransportConfig.of(node.namespace(), cfg.asMap(), listener));
                if (rbacStore != null && tp.name().equals("redis")) {
                    try {
                        acStore = tp.create(TransportConfig.of(node.namespace(), rbacStore, new NodeListener(nodeId)));
                    } catch (RuntimeException e) {
                        t.close();
                        throw e;
                    }
                }
            }
            IiosNode n = new IiosNode(nodeId, protocol, t, acStore, encoder, registry, call, discovery, security, rbac,
                    streamOptions, listener);
            listener.attach(n);
            try {
                n.attach(extensions, cfg);
                n.start(services, "1.0.0");
            } catch (RuntimeException e) {
                n.abort();
                throw e;
            }
            return n;
        }
    }

    /** node-v2: the RBAC store's Redis URI: {@code iios.node-v2.rbac-uri}, else {@code iios.redis.uri} on database 1. */
    private static String rbacUri(Config cfg) {
        String explicit = cfg.string(ConfigKeys.NODE_V2_RBAC_URI).trim();
        if (!explicit.isEmpty()) {
            return explicit;
        }
        String base = cfg.get("iios.redis.uri").orElse("redis://127.0.0.1:6379/0").trim();
        try {
            java.net.URI u = new java.net.URI(base);
            return new java.net.URI(u.getScheme(), u.getRawUserInfo(), u.getHost(), u.getPort(), "/1", null, null)
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw cfg.invalid("iios.redis.uri", base, "a Redis URI such as redis://127.0.0.1:6379/0");
        }
    }

    static String randomId(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
