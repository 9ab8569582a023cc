package io.iios.core;

import io.iios.api.AccessControlled;
import io.iios.api.Events;
import io.iios.api.Gateway;
import io.iios.api.InstanceInfo;
import io.iios.api.Node;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import io.iios.core.extension.CallRoute;
import io.iios.core.extension.NodeContext;
import io.iios.core.extension.NodeExtension;
import io.iios.core.internal.BrokerHealth;
import io.iios.api.Streams;
import io.iios.core.internal.CallOptions;
import io.iios.core.internal.DiscoveryOptions;
import io.iios.core.internal.StreamOptions;
import io.iios.core.internal.discovery.ServiceRegistry;
import io.iios.core.internal.events.EventBus;
import io.iios.core.internal.gateway.NodeGateway;
import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.core.internal.rbac.AccessGuard;
import io.iios.core.internal.rbac.GrantCache;
import io.iios.core.internal.rbac.RbacOptions;
import io.iios.core.internal.rbac.RoleStore;
import io.iios.core.internal.rpc.CallWorkers;
import io.iios.core.internal.rpc.MethodTable;
import io.iios.core.internal.rpc.RpcClient;
import io.iios.core.internal.rpc.ServiceHost;
import io.iios.core.internal.streams.StreamHub;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.security.SecurityOptions;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.NodeV2Protocol;
import io.iios.core.internal.wire.Protocol;
import io.iios.spi.Encoder;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node (see {@link Iios#builder()}): hosts services, has a gateway and events.
 * {@link #close()} deregisters cleanly; {@link #abort()} stops as a crash would.
 */
public final class IiosNode implements Node {
    private static final Logger LOG = LoggerFactory.getLogger(IiosNode.class);

    private final String nodeId;
    private final Names names;
    private final Protocol protocol;
    private final @Nullable Transport rbacTransport;
    private final Transport transport;
    private final Encoder encoder;
    private final NodeMetrics metrics;
    private final ScheduledThreadPoolExecutor timer;
    /** The node's transport is HTTP itself (its call route is preferred): no broker, no re-sent calls. */
    private boolean brokerless;
    private final CallWorkers workers;
    private final ServiceRegistry registry;
    private final RpcClient rpc;
    private final EventBus events;
    private final StreamHub streams;
    /** What {@code streams()} gives users: the stream hub, or Node's raw streams with node-v2. */
    private final Streams namedStreams;
    private final java.time.@Nullable Duration nodeV2Heartbeat;
    private final List<java.util.concurrent.ScheduledFuture<?>> heartbeats = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final NodeGateway gateway;
    private final List<Hosted> hosted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final java.time.Duration callTimeout;
    private final EnvelopeSigner signer;
    private final RoleStore roleStore;
    private final AccessControl accessControl;
    private final @Nullable GrantCache grantCache;
    private final @Nullable AccessGuard guard;
    private boolean closed;
    private final BrokerHealth brokerHealth;
    private final List<NodeExtension.Attachment> attachments = new java.util.concurrent.CopyOnWriteArrayList<>();
    private @Nullable String httpEndpoint;
    private io.iios.core.internal.rpc.@Nullable ReplayCache replays;

    private record Hosted(Object target, InstanceInfo info, ServiceHost host, Subscription inbox, Handle handle) {
    }

    IiosNode(String nodeId, Protocol protocol, Transport transport, @Nullable Transport rbacTransport, Encoder encoder,
            MeterRegistry meterRegistry, CallOptions callOptions, DiscoveryOptions discoveryOptions,
            SecurityOptions security, RbacOptions rbac, StreamOptions streamOptions, BrokerHealth brokerHealth) {
        this.nodeId = nodeId;
        this.brokerHealth = brokerHealth;
        this.protocol = protocol;
        this.names = protocol.names();
        this.rbacTransport = rbacTransport;
        this.transport = transport;
        this.encoder = encoder;
        this.metrics = new NodeMetrics(meterRegistry, nodeId);
        this.callTimeout = callOptions.timeout();
        RateLimitedLog log = new RateLimitedLog(LOG);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "iios-" + nodeId + "-timer");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.workers = new CallWorkers("iios-call");
        this.signer = security.signing() ? EnvelopeSigner.create(security, encoder) : EnvelopeSigner.disabled(encoder);
        this.registry = new ServiceRegistry(protocol, transport, encoder, discoveryOptions, metrics, log, timer, signer);
        this.rpc = new RpcClient(protocol, nodeId, transport, encoder, registry, callOptions, metrics, log, timer,
                signer);
        this.events = new EventBus(protocol, nodeId, transport, encoder, metrics, log, callOptions.maxMessageBytes(),
                signer);
        // node-v2 keeps roles and users in their own store (Redis DB 1), always as JSON
        Transport acStore = rbacTransport != null ? rbacTransport : transport;
        this.roleStore = new RoleStore(names, acStore, protocol.kvEncoder(encoder), signer);
        this.accessControl = new AccessControl(roleStore, registry);
        if (rbac.enabled()) {
            this.grantCache = new GrantCache(roleStore, rbac.cacheTtl(), names, transport, encoder, signer, metrics, log);
            this.guard = new AccessGuard(grantCache, metrics, log, protocol);
            if (!security.signing()) {
                LOG.warn("iios.rbac.enabled is set without iios.security.key: any process that can publish on the "
                        + "broker can claim any user id or a privileged call (see docs/security.md)");
            }
        } else {
            this.grantCache = null;
            this.guard = null;
        }
        this.streams = new StreamHub(nodeId, names, transport, encoder, streamOptions, callOptions.maxMessageBytes(),
                metrics, log, timer, signer, guard);
        this.gateway = new NodeGateway(rpc, registry, workers, streams);
        this.namedStreams = protocol instanceof NodeV2Protocol v2
                ? new io.iios.core.internal.streams.RawStreams(transport, v2.names()::streamChannel) : streams;
        this.nodeV2Heartbeat = protocol instanceof NodeV2Protocol v2 ? v2.heartbeat() : null;
    }

    /** Attaches the node extensions found on the classpath: their HTTP endpoint and call route. */
    void attach(List<NodeExtension> extensions, Config config) {
        NodeContext ctx = new NodeContext() {
            @Override
            public IiosNode node() {
                return IiosNode.this;
            }

            @Override
            public Config config() {
                return config;
            }

            @Override
            public java.util.concurrent.CompletableFuture<byte[]> handleRequest(String service, byte[] request,
                    java.time.Duration maxWait) {
                return IiosNode.this.handleRequest(service, request, maxWait);
            }

            @Override
            public boolean brokerUp() {
                return brokerHealth.up();
            }

            @Override
            public java.util.concurrent.CompletableFuture<byte[]> handleNodeV2Api(String verb, String method,
                    byte[] body, String contentType, @Nullable String userId, @Nullable String privileged,
                    java.time.Duration maxWait) {
                return IiosNode.this.handleNodeV2Api(verb, method, body, contentType, userId, privileged, maxWait);
            }
        };
        CallRoute route = null;
        for (NodeExtension e : extensions) {
            NodeExtension.Attachment a = e.attach(ctx);
            if (a == null) {
                continue;
            }
            attachments.add(a);
            if (httpEndpoint == null) {
                httpEndpoint = a.httpEndpoint();
            }
            if (route == null) {
                route = a.callRoute();
            }
            LOG.debug("extension {} attached to node {}", e.name(), nodeId);
        }
        rpc.useRoute(route, brokerHealth);
        brokerless = route != null && route.preferred();
    }

    private java.util.concurrent.CompletableFuture<byte[]> handleRequest(String service, byte[] request,
            java.time.Duration maxWait) {
        Hosted h = null;
        for (Hosted x : hosted) {
            if (x.info().service().equals(service)) {
                h = x;
                break;
            }
        }
        if (h == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new io.iios.api.ServiceUnavailableException(
                    "node " + nodeId + " does not host service '" + service + "'"));
        }
        java.util.concurrent.CompletableFuture<byte[]> reply = new java.util.concurrent.CompletableFuture<>();
        io.iios.spi.PubSub capture = replyCapture(reply);
        // on a virtual thread that would only wait for the reply (the HTTP server's), run the method right here
        java.util.concurrent.Executor runner = Thread.currentThread().isVirtual() ? Runnable::run : null;
        (runner == null ? h.host().replyingThrough(capture) : h.host().replyingThrough(capture, runner))
                .onRequest(names.rpcInbox(service, h.info().instanceId()), request);
        if (reply.isDone()) {
            return reply;
        }
        long waitMillis = Math.max(1, maxWait.toMillis());
        return reply.completeOnTimeout(null, waitMillis, TimeUnit.MILLISECONDS).thenCompose(r -> r != null
                ? java.util.concurrent.CompletableFuture.completedFuture(r)
                : java.util.concurrent.CompletableFuture.failedFuture(new io.iios.api.CallTimeoutException(
                        "no reply from " + service + " within " + waitMillis + " ms (the request was dropped or "
                                + "its method is still running)")));
    }

    private java.util.concurrent.CompletableFuture<byte[]> handleNodeV2Api(String verb, String method, byte[] body,
            String contentType, @Nullable String userId, @Nullable String privileged, java.time.Duration maxWait) {
        Hosted h = null;
        for (Hosted x : hosted) {
            io.iios.api.MethodInfo mi = x.info().methods().get(method);
            if (mi != null && mi.verb().name().equalsIgnoreCase(verb)) {
                h = x;
                break;
            }
        }
        if (!(protocol instanceof NodeV2Protocol v2) || h == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new io.iios.api.ServiceUnavailableException(
                    "Cannot " + verb + " /api/" + method));
        }
        NodeV2HttpApi.Request req;
        try {
            req = NodeV2HttpApi.parse(body, contentType);
        } catch (RuntimeException e) {
            metrics.dropped("malformed");
            return java.util.concurrent.CompletableFuture.completedFuture(NodeV2HttpApi.error(e));
        }
        byte[] request = encoder.encode(NodeV2HttpApi.envelope(req.args(), userId, privileged));
        java.util.concurrent.CompletableFuture<byte[]> reply = new java.util.concurrent.CompletableFuture<>();
        io.iios.spi.PubSub capture = replyCapture(reply);
        h.host().replyingThrough(capture).onRequest(v2.requestChannel(h.info().service(), h.info().instanceId(),
                method), request);
        long waitMillis = Math.max(1, maxWait.toMillis());
        return reply.orTimeout(waitMillis, TimeUnit.MILLISECONDS).thenApply(r -> NodeV2HttpApi.answer(encoder, r));
    }

    /** The base URL of this node's HTTP intercall route, when an extension serves one. */
    public java.util.Optional<String> httpEndpoint() {
        return java.util.Optional.ofNullable(httpEndpoint);
    }

    void start(List<Map.Entry<String, Object>> services, String version) {
        if (grantCache != null) {
            grantCache.start();
        }
        registry.start();
        rpc.start();
        registry.expireOnlyWhile(brokerHealth::up);
        int i = 0;
        for (Map.Entry<String, Object> s : services) {
            // node-v2 knows one instance per service name (the record key has no instance)
            host(s.getKey(), s.getValue(), protocol.leasedRecords() ? nodeId + "-" + (i++) : s.getKey(), version);
        }
    }

    /**
     * The node's replay cache, when callers may re-send a call over HTTP (this node serves the intercall route and
     * the protocol is not node-v2, whose HTTP route has no fallback): null otherwise.
     */
    private io.iios.core.internal.rpc.@Nullable ReplayCache replays() {
        // only a call that went on a broker is ever sent again (over HTTP): a broker-less node needs no memory
        if (replays == null && httpEndpoint != null && !brokerless && !protocol.perCallReplies()
                && rpc.options().replayEntries() > 0) {
            replays = new io.iios.core.internal.rpc.ReplayCache(rpc.options().replayEntries(),
                    rpc.options().replayKeep(), metrics);
        }
        return replays;
    }

    private void host(String service, Object target, String instanceId, String defaultVersion) {
        MethodTable table = new MethodTable(service, target);
        io.iios.api.Service ann = target.getClass().getAnnotation(io.iios.api.Service.class);
        String version = ann != null ? ann.version() : defaultVersion;
        InstanceInfo info = new InstanceInfo(service, instanceId, nodeId, version, table.infos(), httpEndpoint, Map.of(),
                Instant.now());
        ServiceHost host = new ServiceHost(service, instanceId, table, encoder, transport.pubsub(), workers, metrics,
                new RateLimitedLog(LOG), rpc.options().maxMessageBytes(), protocol, signer, guard,
                streams::adaptResult, replays());
        if (guard != null && target instanceof AccessControlled ac) {
            List<String> roles = roleStore.applyDefaults(service, ac.defaultGrants());
            if (!roles.isEmpty()) {
                LOG.info("wrote default grants of service {} for roles {}", service, roles);
            }
        }
        List<Subscription> subs = new ArrayList<>();
        boolean overHttp = protocol instanceof NodeV2Protocol v2 && v2.httpRpc() && httpEndpoint != null;
        if (!overHttp) {
            for (String channel : protocol.inboxes(service, instanceId, table.infos().keySet())) {
                subs.add(transport.pubsub().subscribe(channel, host::onRequest));
            }
        }
        Subscription inbox = () -> subs.forEach(Subscription::close);
        Handle handle = new Handle(service, instanceId);
        hosted.add(new Hosted(target, info, host, inbox, handle));
        if (target instanceof ServiceLifecycle lc) {
            lc.onStart(handle);
        }
        registry.register(info);
        if (nodeV2Heartbeat != null) {
            heartbeat(info, "starting");
            long period = nodeV2Heartbeat.toMillis();
            heartbeats.add(timer.scheduleAtFixedRate(() -> heartbeat(info, "alive"), period, period,
                    TimeUnit.MILLISECONDS));
        }
        LOG.debug("service {} up as instance {}", service, instanceId);
    }

    /** node-v2: Node's heartbeat message on {@code iios:iios:NS__heartbeat}, in the node's encoder. */
    private void heartbeat(InstanceInfo info, String status) {
        NodeV2Protocol v2 = (NodeV2Protocol) protocol;
        Map<String, Object> meta = new java.util.LinkedHashMap<>();
        meta.put("origin", nodeId);
        meta.put("service", info.service());
        meta.put("namespace", v2.names().prefix());
        meta.put("timestamp", System.currentTimeMillis());
        meta.put("status", status);
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("hostname", java.util.Objects.requireNonNullElse(System.getenv("HOSTNAME"), nodeId));
        data.put("version", info.version());
        data.put("name", info.service());
        if (!status.equals("alive")) {
            data.put("message", "service " + status);
        }
        try {
            transport.pubsub().publish(v2.names().heartbeatChannel(), encoder.encode(Map.of("meta", meta, "data", data)));
        } catch (RuntimeException e) {
            metrics.transportError();
            LOG.debug("heartbeat of {} not sent: {}", info.service(), e.toString());
        }
    }

    private final class Handle implements ServiceHandle {
        private final String service;
        private final String instanceId;
        private final Streams ownStreams;

        Handle(String service, String instanceId) {
            this.service = service;
            this.instanceId = instanceId;
            this.ownStreams = streams.view(service, null, false);
        }

        @Override
        public String name() {
            return service;
        }

        @Override
        public String instanceId() {
            return instanceId;
        }

        @Override
        public void pushEvent(String name, @Nullable Object payload) {
            events.push(service, instanceId, name, payload);
        }

        /** Opens streams owned by this service (binders need read on it); binds as an anonymous caller. */
        @Override
        public Streams streams() {
            return namedStreams instanceof io.iios.core.internal.streams.RawStreams ? namedStreams : ownStreams;
        }

        @Override
        public Gateway privilegedGateway() {
            return gateway.privileged();
        }
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String namespace() {
        return names.namespace();
    }

    @Override
    public Gateway gateway() {
        return gateway;
    }

    @Override
    public Events events() {
        return events;
    }

    @Override
    public Streams streams() {
        return namedStreams;
    }

    /** Streams open on this node, producing or reading (for tests and diagnostics). */
    public int openStreams() {
        return streams.openStreams();
    }

    @Override
    public List<ServiceHandle> services() {
        return hosted.stream().map(h -> (ServiceHandle) h.handle()).toList();
    }

    /** The transport this node talks through (e.g. to run the TCK's transport-level kits). */
    public Transport transport() {
        return transport;
    }

    /** The wire protocol profile of this node: {@code native} or {@code node-v2} ({@code iios.protocol}). */
    public String protocol() {
        return protocol.id();
    }

    /** The encoder this node uses. */
    public Encoder encoder() {
        return encoder;
    }

    /** The RBAC admin API of the namespace: roles, user bindings, checks. */
    public AccessControl accessControl() {
        return accessControl;
    }

    /** The registry the node's meters are in. */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** Pushes an event on behalf of a hosted service. */
    public void pushEvent(String service, String event, @Nullable Object payload) {
        Hosted h = hosted.stream().filter(x -> x.info().service().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("this node does not host service '" + service + "'"));
        h.handle().pushEvent(event, payload);
    }

    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            heartbeats.forEach(f -> f.cancel(false));
            if (nodeV2Heartbeat != null) {
                hosted.forEach(h -> heartbeat(h.info(), "stopping"));
            }
            // 1. tell everyone first, so no new call is routed here
            for (Hosted h : hosted) {
                try {
                    registry.deregister(h.info());
                } catch (RuntimeException e) {
                    LOG.warn("cannot deregister {}/{}: {}", h.info().service(), h.info().instanceId(), e.toString());
                }
            }
            // 2. stop taking requests, then let accepted calls finish and reply
            hosted.forEach(h -> h.inbox().close());
            closeAttachments();
            workers.shutdown();
            try {
                if (!workers.awaitTermination(callTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("calls still running after {} ms at close; their replies are lost", callTimeout.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Hosted h : hosted) {
                if (h.target() instanceof ServiceLifecycle lc) {
                    try {
                        lc.onStop();
                    } catch (RuntimeException e) {
                        LOG.warn("onStop of {} threw {}", h.info().service(), e.toString());
                    }
                }
            }
            shutdown();
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Stops abruptly, as a crash would: no deregistration, no goodbye notice. Records stay in the KV
     * store until their TTL runs out. For tests and failure drills.
     */
    public void abort() {
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            registry.stopHeartbeats();
            streams.abort();
            shutdown();
        } finally {
            lifecycle.unlock();
        }
    }

    private void closeAttachments() {
        for (NodeExtension.Attachment a : attachments) {
            try {
                a.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a node extension: {}", e.toString());
            }
        }
        attachments.clear();
    }

    private void shutdown() {
        closeAttachments();
        if (namedStreams instanceof io.iios.core.internal.streams.RawStreams raw) {
            raw.close();
        }
        streams.close();
        if (grantCache != null) {
            grantCache.close();
        }
        events.close();
        rpc.close();
        registry.close();
        timer.shutdownNow();
        workers.shutdown();
        try {
            transport.close();
        } catch (RuntimeException e) {
            LOG.warn("closing transport {}: {}", transport.name(), e.toString());
        }
        if (rbacTransport != null) {
            try {
                rbacTransport.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the access control store: {}", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "IiosNode[" + nodeId + " ns=" + names.namespace() + " transport=" + transport.name() + "]";
    }

    /** A {@link io.iios.spi.PubSub} that only takes one reply, into {@code reply} (a request served over HTTP). */
    private static io.iios.spi.PubSub replyCapture(java.util.concurrent.CompletableFuture<byte[]> reply) {
        return new io.iios.spi.PubSub() {
            @Override
            public void publish(String channel, byte[] payload) {
                reply.complete(payload);
            }

            @Override
            public Subscription subscribe(String pattern, io.iios.spi.MessageHandler handler) {
                throw new UnsupportedOperationException("replies only");
            }

            @Override
            public Subscription subscribe(String pattern, String group, io.iios.spi.MessageHandler handler) {
                throw new UnsupportedOperationException("replies only");
            }
        };
    }
}
