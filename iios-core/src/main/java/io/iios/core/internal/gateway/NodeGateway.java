package io.iios.core.internal.gateway;

import io.iios.api.Gateway;
import io.iios.api.IiosException;
import io.iios.api.Service;
import io.iios.api.ServiceApi;
import io.iios.api.ServiceInfo;
import io.iios.api.StreamHandle;
import io.iios.core.internal.discovery.ServiceRegistry;
import io.iios.core.internal.rpc.RpcClient;
import io.iios.core.internal.streams.StreamHub;
import io.iios.core.internal.wire.Names;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Gateway} of a node, on its {@link RpcClient} and {@link ServiceRegistry}. A view may
 * carry a user id ({@link #asUser(String)}) or be a service's privileged gateway; both are made only
 * by in-process code.
 */
public final class NodeGateway implements Gateway {
    private final RpcClient rpc;
    private final ServiceRegistry registry;
    private final Executor asyncExecutor;
    private final StreamHub streams;
    private final @Nullable String userId;
    private final boolean privileged;
    private final Map<String, ServiceApi> apis = new ConcurrentHashMap<>();

    public NodeGateway(RpcClient rpc, ServiceRegistry registry, Executor asyncExecutor, StreamHub streams) {
        this(rpc, registry, asyncExecutor, streams, null, false);
    }

    private NodeGateway(RpcClient rpc, ServiceRegistry registry, Executor asyncExecutor, StreamHub streams,
            @Nullable String userId, boolean privileged) {
        this.streams = streams;
        this.rpc = rpc;
        this.registry = registry;
        this.asyncExecutor = asyncExecutor;
        this.userId = userId;
        this.privileged = privileged;
    }

    @Override
    public Gateway asUser(String user) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user id must not be empty");
        }
        return new NodeGateway(rpc, registry, asyncExecutor, streams, user, false);
    }

    @Override
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    @Override
    public io.iios.api.Streams streams() {
        return streams.view(null, userId, privileged);
    }

    /** The gateway a hosted service uses for calls on its own behalf (RBAC skipped at the callee). */
    public Gateway privileged() {
        return new NodeGateway(rpc, registry, asyncExecutor, streams, null, true);
    }

    @Override
    public ServiceApi api(String service) {
        Names.requireName(service, "service name");
        return apis.computeIfAbsent(service, Api::new);
    }

    /** Blocks on a call future, rethrowing its {@link IiosException} with the caller's stack. */
    static @Nullable Object await(CompletableFuture<@Nullable Object> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.iios.api.CallTimeoutException("interrupted while waiting for a reply", e);
        }
    }

    static RuntimeException rethrow(@Nullable Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new CompletionException(cause);
    }

    private final class Api implements ServiceApi {
        private final String service;

        Api(String service) {
            this.service = service;
        }

        @Override
        public String name() {
            return service;
        }

        @Override
        public @Nullable Object call(String method, @Nullable Object... args) {
            return streams.adopt(await(raw(Object.class, method, args)));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args) {
            if (StreamResults.isStreamType(resultType)) {
                return (T) StreamResults.as(resultType, stream(method, args));
            }
            return (T) await(raw(resultType, method, args));
        }

        @Override
        public StreamHandle stream(String method, @Nullable Object... args) {
            return streams.handle(await(raw(Object.class, method, args)), service, method);
        }

        @Override
        public CompletableFuture<StreamHandle> streamAsync(String method, @Nullable Object... args) {
            return raw(Object.class, method, args).thenApplyAsync(r -> streams.handle(r, service, method), asyncExecutor);
        }

        @Override
        public CompletableFuture<@Nullable Object> callAsync(String method, @Nullable Object... args) {
            return callAsync(Object.class, method, args);
        }

        @Override
        public CompletableFuture<@Nullable Object> callAsync(Type resultType, String method, @Nullable Object... args) {
            // dependents of the returned future run on a virtual thread, never on the reply thread
            if (resultType == Object.class) {
                return raw(Object.class, method, args).thenApplyAsync(streams::adopt, asyncExecutor);
            }
            if (StreamResults.isStreamType(resultType)) {
                return raw(Object.class, method, args).thenApplyAsync(
                        r -> StreamResults.as(resultType, streams.handle(r, service, method)), asyncExecutor);
            }
            return raw(resultType, method, args).thenApplyAsync(r -> r, asyncExecutor);
        }

        private CompletableFuture<@Nullable Object> raw(Type resultType, String method, @Nullable Object[] args) {
            return rpc.call(service, method, args == null ? new Object[] {null} : args, null, resultType, userId, null,
                    privileged);
        }
    }

    @Override
    public <T> T proxy(Class<T> serviceInterface) {
        Service s = serviceInterface.getAnnotation(Service.class);
        if (s == null) {
            throw new IllegalArgumentException(serviceInterface.getName()
                    + " has no @Service annotation; use proxy(type, serviceName)");
        }
        return proxy(serviceInterface, s.value());
    }

    @Override
    public <T> T proxy(Class<T> serviceInterface, String service) {
        if (!serviceInterface.isInterface()) {
            throw new IllegalArgumentException(serviceInterface.getName() + " is not an interface");
        }
        Names.requireName(service, "service name");
        Object p = Proxy.newProxyInstance(serviceInterface.getClassLoader(), new Class<?>[] {serviceInterface},
                new ServiceProxy(service, rpc, asyncExecutor, streams, userId, privileged));
        return serviceInterface.cast(p);
    }

    @Override
    public CompletableFuture<ServiceInfo> waitForServiceAsync(String service, Duration timeout) {
        Names.requireName(service, "service name");
        return registry.await(service, timeout);
    }

    @Override
    public ServiceInfo waitForService(String service, Duration timeout) {
        try {
            return waitForServiceAsync(service, timeout).get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.iios.api.ServiceUnavailableException("interrupted while waiting for " + service, e);
        }
    }

    @Override
    public Optional<ServiceInfo> service(String service) {
        return registry.service(service);
    }

    @Override
    public List<ServiceInfo> services() {
        return registry.services();
    }
}
