/** The demo service {@code bob} hosted by {@code iios demo}, and its typed client interface. */
@NullMarked
package io.iios.cli.demo;

import org.jspecify.annotations.NullMarked;
