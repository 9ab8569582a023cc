/** Runtime internals of IIOS core (memory); no compatibility promise. */
@NullMarked
package io.iios.core.internal.memory;

import org.jspecify.annotations.NullMarked;
