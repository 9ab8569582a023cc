/** Runtime internals of IIOS core (gateway); no compatibility promise. */
@NullMarked
package io.iios.core.internal.gateway;

import org.jspecify.annotations.NullMarked;
