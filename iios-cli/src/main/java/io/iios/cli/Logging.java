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
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
