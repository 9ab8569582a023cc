/** Runtime internals of IIOS core (metrics); no compatibility promise. */
@NullMarked
package io.iios.core.internal.metrics;

import org.jspecify.annotations.NullMarked;
