/**
 * The IIOS runtime. Start here: {@link io.iios.core.Iios#builder()} creates a
 * {@link io.iios.core.IiosNode}; {@link io.iios.core.Config} reads {@code iios.properties},
 * the environment and system properties; {@link io.iios.core.MemoryBroker} is the embedded,
 * in-JVM broker. Everything under {@code io.iios.core.internal} may change without notice.
 */
@NullMarked
package io.iios.core;

import org.jspecify.annotations.NullMarked;
