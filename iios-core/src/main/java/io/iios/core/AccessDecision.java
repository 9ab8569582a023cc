package io.iios.core;

import io.iios.api.Possession;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What RBAC decides for one user calling one method, as {@link AccessControl#check} reports it.
 *
 * @param allowed whether the call would run
 * @param userId the user, or null for an anonymous caller
 * @param role the role the user is bound to ({@code anonymous} without user id or binding)
 * @param service the service called
 * @param method the method called, or null when the check was for a verb
 * @param action the action the method's verb maps to ({@code create|read|update|delete})
 * @param possession {@code ANY} or {@code OWN} when allowed, else null
 * @param attributes the attributes of the grant that allows it, else empty
 */
public record AccessDecision(boolean allowed, @Nullable String userId, String role, String service,
        @Nullable String method, String action, @Nullable Possession possession, List<String> attributes) {

    public AccessDecision {
        attributes = List.copyOf(attributes);
    }

    /** One line for people, e.g. {@code allowed: user 'alice' (role admin) holds read:any on bob}. */
    public String explain() {
        String who = userId == null ? "anonymous caller" : "user '" + userId + "'";
        String what = method == null ? service : service + "." + method;
        if (allowed) {
            return "allowed: " + who + " (role " + role + ") holds " + action + ":"
                    + String.valueOf(possession).toLowerCase(Locale.ROOT) + " " + attributes + " for " + what;
        }
        return "denied: " + who + " (role " + role + ") lacks " + action + ":any|own for " + what;
    }
}
