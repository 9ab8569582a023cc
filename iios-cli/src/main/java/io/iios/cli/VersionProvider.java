package io.iios.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code iios --version}: the build version (filtered into {@code version.properties}) and the JVM. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {
            "iios " + p.getProperty("version", "(development build)") + " (IIOS for Java)",
            "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
        };
    }
}
