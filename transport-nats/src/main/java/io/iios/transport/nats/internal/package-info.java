/** Internals of the NATS transport; no compatibility promise. jnats types stay in here. */
@NullMarked
package io.iios.transport.nats.internal;

import org.jspecify.annotations.NullMarked;
