package io.iios.core.internal.gateway;

import io.iios.core.internal.rpc.RpcClient;
import io.iios.core.internal.streams.StreamHub;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/** Turns interface calls into remote calls; the return type drives result conversion and blocking. */
final class ServiceProxy implements InvocationHandler {
    private final String service;
    private final RpcClient rpc;
    private final Executor asyncExecutor;
    private final StreamHub streams;
    private final @Nullable String userId;
    private final boolean privileged;

    ServiceProxy(String service, RpcClient rpc, Executor asyncExecutor, StreamHub streams, @Nullable String userId,
            boolean privileged) {
        this.streams = streams;
        this.userId = userId;
        this.privileged = privileged;
        this.service = service;
        this.rpc = rpc;
        this.asyncExecutor = asyncExecutor;
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "toString" -> "proxy of service '" + service + "'";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> args != null && proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Object[] a = args == null ? new Object[0] : args;
        Class<?> ret = method.getReturnType();
        if (StreamResults.isStreamType(ret)) {
            Object result = NodeGateway.await(rpc.call(service, method.getName(), a, null, Object.class, userId, null,
                    privileged));
            return StreamResults.as(method.getGenericReturnType(),
                    streams.handle(result, service, method.getName()));
        }
        if (CompletionStage.class.isAssignableFrom(ret)) {
            Type inner = Object.class;
            if (method.getGenericReturnType() instanceof ParameterizedType pt) {
                inner = pt.getActualTypeArguments()[0];
            }
            if (StreamResults.isStreamType(inner)) {
                // CompletionStage<InputStream | StreamHandle | Flow.Publisher<T>>: the view once the reply is in
                Type view = inner;
                return rpc.call(service, method.getName(), a, null, Object.class, userId, null, privileged)
                        .thenApplyAsync(r -> StreamResults.as(view, streams.handle(r, service, method.getName())),
                                asyncExecutor);
            }
            CompletableFuture<@Nullable Object> f = rpc.call(service, method.getName(), a, null, inner, userId, null,
                    privileged);
            return f.thenApplyAsync(r -> r, asyncExecutor);
        }
        Type type = ret == void.class || ret == Void.class ? Object.class : method.getGenericReturnType();
        Object result = NodeGateway.await(rpc.call(service, method.getName(), a, null, boxed(type), userId, null,
                privileged));
        if (result == null && ret.isPrimitive() && ret != void.class) {
            throw new io.iios.api.BadMessageException(service + "." + method.getName() + " returned null for "
                    + ret.getName());
        }
        return ret == void.class ? null : result;
    }

    private static Type boxed(Type t) {
        if (t instanceof Class<?> c && c.isPrimitive()) {
            return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
        }
        return t;
    }

    @Override
    public String toString() {
        return "ServiceProxy[" + service + "] " + Proxy.class.getSimpleName();
    }
}
