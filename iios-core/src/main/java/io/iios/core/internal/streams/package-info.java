/** Runtime internals of IIOS core (streams: credit-based flow control on PubSub); no compatibility promise. */
@NullMarked
package io.iios.core.internal.streams;

import org.jspecify.annotations.NullMarked;
