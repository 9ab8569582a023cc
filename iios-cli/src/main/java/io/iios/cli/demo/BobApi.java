package io.iios.cli.demo;

import io.iios.api.Service;
import java.io.InputStream;

/** The typed client view of {@link Bob}, for {@code gateway.proxy(BobApi.class)}. */
@Service("bob")
public interface BobApi {
    int add(int a, int b);

    String hello(String name);

    InputStream download(String name, int lines);
}
