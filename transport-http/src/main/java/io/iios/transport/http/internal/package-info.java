/** Internals of the HTTP module; Helidon types stay here. */
@NullMarked
package io.iios.transport.http.internal;

import org.jspecify.annotations.NullMarked;
