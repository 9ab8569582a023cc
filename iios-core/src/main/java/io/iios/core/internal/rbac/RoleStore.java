package io.iios.core.internal.rbac;

import io.iios.api.Grants;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Capability;
import io.iios.spi.Encoder;
import io.iios.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Roles and user bindings in the KV store (docs/protocol.md): {@code NS:_rbac:role:ROLE} holds the
 * encoded map service → "action:possession" → attributes, {@code NS:_rbac:user:USER} the role name.
 * Every write publishes a (signed) change notice on {@code NS:_rbac:changed}.
 */
public final class RoleStore {
    private final Names names;
    private final Transport transport;
    private final Encoder encoder;
    private final EnvelopeSigner signer;

    public RoleStore(Names names, Transport transport, Encoder encoder, EnvelopeSigner signer) {
        this.names = names;
        this.transport = transport;
        this.encoder = encoder;
        this.signer = signer;
    }

    /** Role names: one channel segment. */
    public static String requireRole(String role) {
        return Names.requireName(role, "role name");
    }

    /** User ids: any text but ':' and the wildcards, so that they make one key segment. */
    public static String requireUser(String userId) {
        if (userId.isEmpty() || userId.length() > 256 || userId.indexOf(':') >= 0 || userId.equals("*")
                || userId.equals(">")) {
            throw new IllegalArgumentException("user id '" + userId + "' must be 1-256 characters without ':' and "
                    + "not '*' or '>'");
        }
        return userId;
    }

    /** Service names in a role: a service name or {@code *}. */
    public static String requireService(String service) {
        return service.equals(Policy.ANY_SERVICE) ? service : Names.requireName(service, "service name");
    }

    /**
     * The definition of a role, or empty when it is not defined.
     *
     * @throws MalformedGrants when the stored value does not have the expected shape
     */
    public Optional<Map<String, Map<String, List<String>>>> role(String role) {
        return transport.kv().get(names.roleKey(role)).map(this::decodeRole);
    }

    /** The role a user is bound to, if any. */
    public Optional<String> binding(String userId) {
        return transport.kv().get(names.userKey(userId)).map(this::decodeRoleName);
    }

    public List<String> roles() {
        return strip(transport.kv().keys(names.rolePrefix()), names.rolePrefix());
    }

    public List<String> users() {
        return strip(transport.kv().keys(names.userPrefix()), names.userPrefix());
    }

    private static List<String> strip(List<String> keys, String prefix) {
        List<String> out = new ArrayList<>(keys.size());
        keys.forEach(k -> out.add(k.substring(prefix.length())));
        out.sort(null);
        return out;
    }

    /** Replaces a role's definition. */
    public void putRole(String role, Map<String, Map<String, List<String>>> definition) {
        transport.kv().put(names.roleKey(requireRole(role)), encoder.encode(definition));
        changed("role", role);
    }

    public boolean deleteRole(String role) {
        boolean existed = transport.kv().delete(names.roleKey(requireRole(role)));
        changed("role", role);
        return existed;
    }

    public void bind(String userId, String role) {
        transport.kv().put(names.userKey(requireUser(userId)), encoder.encode(requireRole(role)));
        changed("user", userId);
    }

    public boolean unbind(String userId) {
        boolean existed = transport.kv().delete(names.userKey(requireUser(userId)));
        changed("user", userId);
        return existed;
    }

    /**
     * Writes a service's default grants for every role that does not define that service yet. With
     * {@link Capability#KV_CAS} a role that does not exist is created atomically; adding the service to
     * an existing role is a read-modify-write, so two nodes changing one role at the same instant may
     * lose one of the two changes (docs/security.md).
     *
     * @return the roles written
     */
    public List<String> applyDefaults(String service, Grants defaults) {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<String>>> e : defaults.asMap().entrySet()) {
            String role = requireRole(e.getKey());
            String key = names.roleKey(role);
            Optional<byte[]> current = transport.kv().get(key);
            if (current.isEmpty()) {
                Map<String, Map<String, List<String>>> def = new LinkedHashMap<>();
                def.put(service, e.getValue());
                byte[] bytes = encoder.encode(def);
                if (transport.supports(Capability.KV_CAS)) {
                    if (transport.kv().putIfAbsent(key, bytes, null)) {
                        written.add(role);
                        continue;
                    }
                    current = transport.kv().get(key);
                } else {
                    transport.kv().put(key, bytes);
                    written.add(role);
                    continue;
                }
            }
            Map<String, Map<String, List<String>>> def = new LinkedHashMap<>(
                    current.map(this::decodeRole).orElse(Map.of()));
            if (!def.containsKey(service)) {
                def.put(service, e.getValue());
                transport.kv().put(key, encoder.encode(def));
                written.add(role);
            }
        }
        if (!written.isEmpty()) {
            changed("role", String.join(",", written));
        }
        return written;
    }

    private void changed(String kind, String name) {
        Map<String, Object> m = new LinkedHashMap<>(8);
        m.put("v", Wire.VERSION);
        m.put("t", "rbac");
        m.put("k", kind);
        m.put("n", name);
        transport.pubsub().publish(names.rbacChannel(), encoder.encode(signer.sign(m)));
    }

    private Map<String, Map<String, List<String>>> decodeRole(byte[] bytes) {
        Object v;
        try {
            v = encoder.decode(bytes);
        } catch (RuntimeException e) {
            throw new MalformedGrants("role definition does not decode: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> services)) {
            throw new MalformedGrants("role definition must be an object of services");
        }
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> s : services.entrySet()) {
            if (!(s.getValue() instanceof Map<?, ?> grants)) {
                throw new MalformedGrants("grants of service '" + s.getKey() + "' must be an object");
            }
            Map<String, List<String>> g = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : grants.entrySet()) {
                List<String> attrs = new ArrayList<>();
                if (e.getValue() instanceof List<?> l) {
                    l.forEach(a -> attrs.add(String.valueOf(a)));
                } else {
                    throw new MalformedGrants("attributes of '" + s.getKey() + "' / '" + e.getKey()
                            + "' must be an array");
                }
                g.put(String.valueOf(e.getKey()), List.copyOf(attrs));
            }
            out.put(String.valueOf(s.getKey()), g);
        }
        return out;
    }

    private String decodeRoleName(byte[] bytes) {
        try {
            if (encoder.decode(bytes) instanceof String s) {
                return s;
            }
        } catch (RuntimeException e) {
            // an operator wrote the plain name, e.g. with redis-cli SET
        }
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }

    /** A role definition in the KV store that does not have the expected shape. */
    public static final class MalformedGrants extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedGrants(String message) {
            super(message, null, false, false);
        }
    }
}
