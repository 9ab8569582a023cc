package io.iios.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Grants of one service per role, in the seed's shape: role → {@code "action:possession"} →
 * attributes, e.g. {@code admin → {"read:any": ["*"], "update:any": ["*"]}}. Immutable; made with
 * {@link #builder()}.
 *
 * <p>Actions are {@code create}, {@code read}, {@code update} and {@code delete} (PUT, GET, POST and
 * DELETE calls, see {@link Verb#action()}); possession is {@code any} or {@code own}.
 */
public final class Grants {
    /** The four RBAC actions, in seed order. */
    public static final List<String> ACTIONS = List.of("create", "read", "update", "delete");

    private final Map<String, Map<String, List<String>>> byRole;

    private Grants(Map<String, Map<String, List<String>>> byRole) {
        Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
        byRole.forEach((role, grants) -> copy.put(role, Collections.unmodifiableMap(new LinkedHashMap<>(grants))));
        this.byRole = Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The seed's example defaults: admin may do anything, user may read, update and delete, anonymous may read. */
    public static Grants seedDefaults() {
        return builder().grantAll("admin", Possession.ANY)
                .grant("user", "read", Possession.ANY).grant("user", "update", Possession.ANY)
                .grant("user", "delete", Possession.ANY)
                .grant("anonymous", "read", Possession.ANY).build();
    }

    /** The roles that have at least one grant. */
    public Set<String> roles() {
        return byRole.keySet();
    }

    /** The grants of one role: {@code "action:possession"} → attributes; empty when the role has none. */
    public Map<String, List<String>> of(String role) {
        return byRole.getOrDefault(role, Map.of());
    }

    /** Every role's grants. */
    public Map<String, Map<String, List<String>>> asMap() {
        return byRole;
    }

    /** Checks an action name and returns it in lower case. */
    public static String requireAction(String action) {
        String a = action.toLowerCase(Locale.ROOT);
        if (!ACTIONS.contains(a)) {
            throw new IllegalArgumentException("unknown action '" + action + "': expected one of " + ACTIONS);
        }
        return a;
    }

    /** The seed's grant key, e.g. {@code read:any}. */
    public static String key(String action, Possession possession) {
        return requireAction(action) + ":" + possession.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grants g && g.byRole.equals(byRole);
    }

    @Override
    public int hashCode() {
        return byRole.hashCode();
    }

    @Override
    public String toString() {
        return "Grants" + byRole;
    }

    /** Collects grants; the one door to {@link Grants}. */
    public static final class Builder {
        private final Map<String, Map<String, List<String>>> byRole = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Grants an action to a role.
         *
         * @param attributes the attributes the grant covers; none means {@code *} (all)
         */
        public Builder grant(String role, String action, Possession possession, String... attributes) {
            if (role.isBlank()) {
                throw new IllegalArgumentException("role must not be blank");
            }
            List<String> attrs = attributes.length == 0 ? List.of("*") : List.copyOf(Arrays.asList(attributes));
            byRole.computeIfAbsent(role, r -> new LinkedHashMap<>()).put(key(action, possession),
                    new ArrayList<>(attrs));
            return this;
        }

        /** Grants all four actions to a role. */
        public Builder grantAll(String role, Possession possession) {
            ACTIONS.forEach(a -> grant(role, a, possession));
            return this;
        }

        public Grants build() {
            Map<String, Map<String, List<String>>> frozen = new LinkedHashMap<>();
            byRole.forEach((r, g) -> {
                Map<String, List<String>> m = new LinkedHashMap<>();
                g.forEach((k, v) -> m.put(k, List.copyOf(v)));
                frozen.put(r, m);
            });
            return new Grants(frozen);
        }
    }
}
