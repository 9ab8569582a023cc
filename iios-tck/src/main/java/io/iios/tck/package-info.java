/**
 * The technology compatibility kit of IIOS for Java: abstract JUnit kits, one per contract, each with
 * a single factory hook returning a {@link io.iios.tck.TransportUnderTest}, aggregated by
 * {@link io.iios.tck.TransportCompatibilityKit}; and {@link io.iios.tck.TckLauncher}, which runs them
 * without Maven.
 */
@NullMarked
package io.iios.tck;

import org.jspecify.annotations.NullMarked;
