/** Runtime internals of IIOS core (rpc); no compatibility promise. */
@NullMarked
package io.iios.core.internal.rpc;

import org.jspecify.annotations.NullMarked;
