/** Runtime internals of IIOS core; no compatibility promise. */
@NullMarked
package io.iios.core.internal;

import org.jspecify.annotations.NullMarked;
