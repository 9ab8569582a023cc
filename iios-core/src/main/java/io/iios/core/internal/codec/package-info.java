/** Runtime internals of IIOS core (codec); no compatibility promise. */
@NullMarked
package io.iios.core.internal.codec;

import org.jspecify.annotations.NullMarked;
