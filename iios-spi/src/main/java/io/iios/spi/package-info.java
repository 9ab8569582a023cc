/**
 * The transport SPI of IIOS for Java: everything that crosses the network goes through
 * {@link io.iios.spi.KvStore}, {@link io.iios.spi.PubSub} and {@link io.iios.spi.Encoder}.
 *
 * <p>A transport is found with {@link java.util.ServiceLoader} through its
 * {@link io.iios.spi.TransportProvider}; an encoder through its {@link io.iios.spi.EncoderProvider}.
 * Keys and channels follow one portable grammar, {@link io.iios.spi.Channel}, which each
 * transport maps to its broker.
 */
@NullMarked
package io.iios.spi;

import org.jspecify.annotations.NullMarked;
