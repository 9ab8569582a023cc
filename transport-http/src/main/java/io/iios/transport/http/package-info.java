/** The HTTP module: backup intercall route, broker-less transport, public REST gateway (see docs/http.md). */
@NullMarked
package io.iios.transport.http;

import org.jspecify.annotations.NullMarked;
