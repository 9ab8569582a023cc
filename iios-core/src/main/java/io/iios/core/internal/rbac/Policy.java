package io.iios.core.internal.rbac;

import io.iios.api.Possession;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The seed's rule, as a pure function: a role's grants for the service or for the wildcard service
 * {@code *} must hold {@code action:any} or {@code action:own}; {@code any} (from either) beats
 * {@code own}, and the service's own entry is read before {@code *}.
 */
public final class Policy {
    /** The role of a call without user id, and of a user without binding. */
    public static final String ANONYMOUS = "anonymous";
    /** A role's grants on every service. */
    public static final String ANY_SERVICE = "*";

    private Policy() {
    }

    /** What a check found. {@code possession} and {@code attributes} are meaningful only when allowed. */
    public record Decision(boolean allowed, String role, String action, @Nullable Possession possession,
            List<String> attributes) {

        /** The grant that was missing, e.g. {@code read:any|own}. */
        public String missingGrant() {
            return action + ":any|own";
        }
    }

    /**
     * @param role the role name (for the decision)
     * @param definition the role's definition (service → "action:possession" → attributes), or null when
     *     the role is not defined
     */
    public static Decision evaluate(String role, @Nullable Map<String, Map<String, List<String>>> definition,
            String service, String action) {
        if (definition != null) {
            for (Possession p : new Possession[] {Possession.ANY, Possession.OWN}) {
                String key = action + (p == Possession.ANY ? ":any" : ":own");
                for (String s : new String[] {service, ANY_SERVICE}) {
                    Map<String, List<String>> grants = definition.get(s);
                    List<String> attributes = grants == null ? null : grants.get(key);
                    if (attributes != null) {
                        return new Decision(true, role, action, p, attributes);
                    }
                }
            }
        }
        return new Decision(false, role, action, null, List.of());
    }
}
