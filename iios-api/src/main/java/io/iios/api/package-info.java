/**
 * What service authors and callers touch: {@link io.iios.api.Service} classes whose public methods
 * become remotely callable, the {@link io.iios.api.Gateway} that calls them, events, the
 * {@link io.iios.api.CallContext} and the {@link io.iios.api.IiosException} family.
 *
 * <p>Nodes are created with {@code io.iios.core.Iios.builder()} from {@code iios-core}.
 */
@NullMarked
package io.iios.api;

import org.jspecify.annotations.NullMarked;
