package io.iios.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a service. On a class, its public methods whose names do not start with {@code _} or
 * {@code $} become callable by any node of the namespace. On an interface, it names the service a
 * typed proxy ({@link Gateway#proxy(Class)}) calls.
 *
 * <p>Names are one channel segment: letters, digits, {@code _} and {@code -}, starting with a letter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Service {
    /** The service name, e.g. {@code bob}. */
    String value();

    /** The version published in discovery. */
    String version() default "1.0.0";
}
