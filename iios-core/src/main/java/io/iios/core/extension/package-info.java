/**
 * Hooks for modules that add to every node without being a transport: a {@link NodeExtension} (found
 * with {@link java.util.ServiceLoader}) joins each node at start, may advertise an HTTP endpoint in its
 * instance records and may offer a {@link CallRoute} that carries calls when the broker cannot. The HTTP
 * module ({@code iios-transport-http}) is the one user today.
 */
@NullMarked
package io.iios.core.extension;

import org.jspecify.annotations.NullMarked;
