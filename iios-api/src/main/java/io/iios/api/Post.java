package io.iios.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a service method as HTTP POST (RBAC action {@code update}) and exposes it on the public HTTP API.
 * An unannotated method is POST and is not exposed on the public HTTP API (seed rule).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Post {
}
