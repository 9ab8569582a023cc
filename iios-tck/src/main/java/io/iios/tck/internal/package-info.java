/** The kits' fixtures and the launcher's plumbing; not an API. */
@NullMarked
package io.iios.tck.internal;

import org.jspecify.annotations.NullMarked;
