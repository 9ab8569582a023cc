/** Role-based access control: role and binding storage, the grant cache, the callee's check; no compatibility promise. */
@NullMarked
package io.iios.core.internal.rbac;

import org.jspecify.annotations.NullMarked;
