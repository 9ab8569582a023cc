package io.iios.api;

/**
 * Optional for a service object: the grants it needs by default (the seed's
 * {@code accesscontrol.grants}). When RBAC is enabled, the hosting node writes them at start for
 * every role that does not define this service yet; an operator's definitions are never overwritten.
 * Its method is never remotely callable.
 */
public interface AccessControlled {

    /** The default grants of this service per role; must not be null. */
    Grants defaultGrants();
}
