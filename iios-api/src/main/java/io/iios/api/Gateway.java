package io.iios.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Calls services of the namespace. Every node has one ({@link Node#gateway()}).
 *
 * <pre>{@code
 * gateway.waitForService("bob", Duration.ofSeconds(5));
 * int sum = gateway.api("bob").call(Integer.class, "add", 1, 2);
 * Bob bob = gateway.proxy(Bob.class);   // an interface annotated @Service("bob")
 * }</pre>
 *
 * <p>A call goes to one live instance (round-robin by default), with a deadline of
 * {@code iios.call.timeout} (5 s by default).
 */
public interface Gateway {

    /** Calls {@code service.method(args)} and waits for the result in the generic value model. */
    default @Nullable Object call(String service, String method, @Nullable Object... args) {
        return api(service).call(method, args);
    }

    /** Calls without blocking. */
    default CompletableFuture<@Nullable Object> callAsync(String service, String method, @Nullable Object... args) {
        return api(service).callAsync(method, args);
    }

    /** The calls of one service. Cheap; may be cached by the caller. */
    ServiceApi api(String service);

    /**
     * A typed proxy of an interface annotated {@link Service}: each interface method calls the
     * remote method of the same name. Methods returning {@link java.util.concurrent.CompletionStage}
     * or {@link CompletableFuture} do not block.
     */
    <T> T proxy(Class<T> serviceInterface);

    /** A typed proxy of an interface for a named service. */
    <T> T proxy(Class<T> serviceInterface, String service);

    /** Completes when at least one instance of the service is live. */
    CompletableFuture<ServiceInfo> waitForServiceAsync(String service, Duration timeout);

    /**
     * Waits until at least one instance of the service is live.
     *
     * @throws ServiceUnavailableException when none appears within the timeout
     */
    ServiceInfo waitForService(String service, Duration timeout);

    /** The service as currently known, if it has a live instance. */
    Optional<ServiceInfo> service(String service);

    /** Every service with a live instance, sorted by name. */
    List<ServiceInfo> services();

    /**
     * A view of this gateway whose calls carry a user id, which the callee's RBAC checks. For trusted
     * in-process code only: a gateway facing the outside must only pass what an {@link Authenticator}
     * returned (see {@link #as(Principal)}), never a user id taken from a request.
     */
    Gateway asUser(String userId);

    /** A view of this gateway whose calls carry the principal's user id (see {@link #asUser(String)}). */
    default Gateway as(Principal principal) {
        return asUser(principal.userId());
    }

    /** The user id this view's calls carry, or empty for anonymous calls. */
    Optional<String> userId();

    /**
     * Named streams as this view's caller: {@link Streams#bind(String, Duration)} claims the stream with
     * this view's user id (anonymous on the plain gateway; a service's own on its privileged gateway),
     * which the producing node's RBAC checks like a call ({@code read} on the service that opened the
     * stream; see docs/security.md). {@link Streams#open(String)} opens a stream no service owns.
     */
    Streams streams();
}
