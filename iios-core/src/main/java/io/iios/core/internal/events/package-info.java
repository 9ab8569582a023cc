/** Runtime internals of IIOS core (events); no compatibility promise. */
@NullMarked
package io.iios.core.internal.events;

import org.jspecify.annotations.NullMarked;
