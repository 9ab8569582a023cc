/** Message signing (HMAC-SHA256 over a canonical form of each envelope); no compatibility promise. */
@NullMarked
package io.iios.core.internal.security;

import org.jspecify.annotations.NullMarked;
