package io.iios.api;

/**
 * A callable method as published in discovery.
 *
 * @param name the method name
 * @param verb its HTTP verb and RBAC action (POST when unannotated)
 * @param publicHttp true when a verb annotation exposes it on the public HTTP API; an unannotated
 *     method is callable through the broker only (seed rule)
 */
public record MethodInfo(String name, Verb verb, boolean publicHttp) {
}
