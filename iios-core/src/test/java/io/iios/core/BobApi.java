package io.iios.core;

import io.iios.api.Service;
import java.util.concurrent.CompletableFuture;

/** A typed view of {@link Bob} for proxies. */
@Service("bob")
public interface BobApi {
    int add(int a, int b);

    String hello(String name);

    void nothing();

    Bob.Point move(Bob.Point p, int dx);

    CompletableFuture<String> later(String s);

    String fail(String why);

    default int twice(int a) {
        return add(a, a);
    }
}
