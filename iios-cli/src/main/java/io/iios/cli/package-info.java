/** The {@code iios} command line: demo, call, ls, events, serve and bench. */
@NullMarked
package io.iios.cli;

import org.jspecify.annotations.NullMarked;
