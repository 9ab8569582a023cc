/** Runtime internals of IIOS core (wire); no compatibility promise. */
@NullMarked
package io.iios.core.internal.wire;

import org.jspecify.annotations.NullMarked;
