package io.iios.cli;

/**
 * Configures slf4j-simple before the first logger exists: WARN (INFO with {@code --verbose}) on stderr,
 * short lines. A level set with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins over the default.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    static void configure(boolean verbose) {
        if (verbose) {
            System.setProperty(PREFIX + "defaultLogLevel", "info");
        } else {
            setIfAbsent("defaultLogLevel", "warn");
        }
        setIfAbsent("logFile", "System.err");
        setIfAbsent("showDateTime", "false");
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showLogName", "false");
        setIfAbsent("showShortLogName", "true");
        setIfAbsent("levelInBrackets", "true");
        // Helidon logs through java.util.logging: same threshold, so its start/stop lines stay out of the output
        java.util.logging.Level level = verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING;
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(level);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(level);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
