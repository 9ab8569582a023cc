package io.iios.tck.internal;

import io.iios.tck.BrokerControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A transport's optional {@code tck.properties}, next to its provider class: {@code timeout.multiplier}
 * and {@code restart.command}.
 */
public record TckProperties(double timeoutMultiplier, Optional<BrokerControl> restartCommand) {
    public static final String MULTIPLIER_PROPERTY = "iios.tck.timeout-multiplier";

    public static TckProperties of(Class<?> anchor) {
        Properties p = new Properties();
        try (InputStream in = anchor.getResourceAsStream("tck.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tck.properties of " + anchor.getName(), e);
        }
        String m = System.getProperty(MULTIPLIER_PROPERTY, p.getProperty("timeout.multiplier", "1"));
        double multiplier;
        try {
            multiplier = Double.parseDouble(m.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timeout.multiplier '" + m + "' of " + anchor.getName()
                    + " is not a number", e);
        }
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("timeout.multiplier must be at least 1, got " + m);
        }
        String cmd = p.getProperty("restart.command");
        return new TckProperties(multiplier, cmd == null || cmd.isBlank() ? Optional.empty()
                : Optional.of(() -> runRestart(cmd.trim(), multiplier)));
    }

    private static void runRestart(String command, double multiplier) {
        try {
            Process proc = new ProcessBuilder("sh", "-c", command).inheritIO().start();
            if (!proc.waitFor((long) (120 * multiplier), TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IllegalStateException("restart.command '" + command + "' did not finish in time");
            }
            if (proc.exitValue() != 0) {
                throw new IllegalStateException("restart.command '" + command + "' exited with " + proc.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run restart.command '" + command + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the broker", e);
        }
    }
}
