/** Runtime internals of IIOS core (discovery); no compatibility promise. */
@NullMarked
package io.iios.core.internal.discovery;

import org.jspecify.annotations.NullMarked;
