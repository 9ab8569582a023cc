package io.iios.core;

import io.iios.api.Grants;
import io.iios.api.MethodInfo;
import io.iios.api.Possession;
import io.iios.api.ServiceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.Verb;
import io.iios.core.internal.discovery.ServiceRegistry;
import io.iios.core.internal.rbac.Policy;
import io.iios.core.internal.rbac.RoleStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The admin API of RBAC ({@link IiosNode#accessControl()}): roles (service → {@code action:possession}
 * → attributes), user → role bindings, and a check that says what a call would get. Reads and writes
 * go straight to the KV store of the namespace; after each write, a change notice makes every node
 * drop its cached grants at once (docs/security.md).
 *
 * <p>Works whether or not {@code iios.rbac.enabled} is set on this node. Anyone who can reach the KV
 * store can do the same: restrict broker credentials accordingly.
 */
public final class AccessControl {
    private final RoleStore store;
    private final ServiceRegistry registry;

    AccessControl(RoleStore store, ServiceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Defines (or replaces) a role: service (or {@code *}) → {@code action:possession} → attributes. */
    public void defineRole(String role, Map<String, Map<String, List<String>>> services) {
        Map<String, Map<String, List<String>>> def = new LinkedHashMap<>();
        services.forEach((service, grants) -> {
            Map<String, List<String>> g = new LinkedHashMap<>();
            grants.forEach((k, attrs) -> g.put(requireGrantKey(k), List.copyOf(attrs)));
            def.put(RoleStore.requireService(service), g);
        });
        store.putRole(role, def);
    }

    /** Removes a role; users bound to it fall back to {@code anonymous}. */
    public boolean deleteRole(String role) {
        return store.deleteRole(role);
    }

    /**
     * Grants an action on a service (or {@code *}) to a role, creating the role if needed.
     *
     * @param attributes the attributes covered; none means {@code *}
     */
    public void grant(String role, String service, String action, Possession possession, String... attributes) {
        RoleStore.requireRole(role);
        String key = Grants.key(action, possession);
        Map<String, Map<String, List<String>>> def = new LinkedHashMap<>(store.role(role).orElse(Map.of()));
        Map<String, List<String>> g = new LinkedHashMap<>(def.getOrDefault(RoleStore.requireService(service), Map.of()));
        g.put(key, attributes.length == 0 ? List.of("*") : List.of(attributes));
        def.put(service, g);
        store.putRole(role, def);
    }

    /** Takes back one grant; true when the role held it. */
    public boolean revoke(String role, String service, String action, Possession possession) {
        RoleStore.requireRole(role);
        String key = Grants.key(action, possession);
        Optional<Map<String, Map<String, List<String>>>> current = store.role(role);
        if (current.isEmpty() || !current.get().getOrDefault(service, Map.of()).containsKey(key)) {
            return false;
        }
        Map<String, Map<String, List<String>>> def = new LinkedHashMap<>(current.get());
        Map<String, List<String>> g = new LinkedHashMap<>(def.get(service));
        g.remove(key);
        def.put(service, g);
        store.putRole(role, def);
        return true;
    }

    /** Binds a user to a role (replacing any previous binding). */
    public void bind(String userId, String role) {
        store.bind(userId, role);
    }

    /** Removes a user's binding; the user is then {@code anonymous}. */
    public boolean unbind(String userId) {
        return store.unbind(userId);
    }

    /** The defined roles, sorted. */
    public List<String> roles() {
        return store.roles();
    }

    /** The users with a binding, sorted. */
    public List<String> users() {
        return store.users();
    }

    /** A role's definition, if defined. */
    public Optional<Map<String, Map<String, List<String>>>> role(String role) {
        return store.role(RoleStore.requireRole(role));
    }

    /** The role a user is bound to, if any. */
    public Optional<String> roleOf(String userId) {
        return store.binding(RoleStore.requireUser(userId));
    }

    /**
     * What a call by this user (null: anonymous) to a method would get, read fresh from the KV store.
     * The method's verb comes from discovery.
     *
     * @throws ServiceUnavailableException when the service has no live instance
     * @throws IllegalArgumentException when the service has no such method
     */
    public AccessDecision check(@Nullable String userId, String service, String method) {
        ServiceInfo info = registry.service(service).orElseThrow(() -> new ServiceUnavailableException(
                "no live instance of service '" + service + "' to learn the verb of " + method + " from"));
        MethodInfo m = info.instances().get(0).methods().get(method);
        if (m == null) {
            throw new IllegalArgumentException("service '" + service + "' has no method '" + method + "'; known: "
                    + info.instances().get(0).methods().keySet());
        }
        return decide(userId, service, method, m.verb());
    }

    /** What a call with this verb by this user (null: anonymous) to a service would get. */
    public AccessDecision check(@Nullable String userId, String service, Verb verb) {
        return decide(userId, service, null, verb);
    }

    private AccessDecision decide(@Nullable String userId, String service, @Nullable String method, Verb verb) {
        String role = userId == null ? Policy.ANONYMOUS
                : store.binding(RoleStore.requireUser(userId)).orElse(Policy.ANONYMOUS);
        Policy.Decision d = Policy.evaluate(role, store.role(role).orElse(null), service, verb.action());
        return new AccessDecision(d.allowed(), userId, role, service, method, d.action(), d.possession(),
                new ArrayList<>(d.attributes()));
    }

    private static String requireGrantKey(String key) {
        int colon = key.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("grant '" + key + "' must be ACTION:POSSESSION such as read:any");
        }
        String possession = key.substring(colon + 1);
        if (!possession.equals("any") && !possession.equals("own")) {
            throw new IllegalArgumentException("grant '" + key + "': possession must be any or own");
        }
        return Grants.requireAction(key.substring(0, colon)) + ":" + possession;
    }
}
