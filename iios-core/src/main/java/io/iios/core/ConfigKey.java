package io.iios.core;

/**
 * A configuration key core knows, with its default and a line of documentation.
 * {@code docs/configuration.md} lists them all (a test keeps the two in step).
 *
 * @param key dotted, kebab-case key, e.g. {@code iios.call.timeout}
 * @param defaultValue the default, or empty when there is none
 * @param form the expected form, used in error messages
 * @param doc what it does
 */
public record ConfigKey(String key, String defaultValue, String form, String doc) {

    /** The environment variable form: {@code iios.call.timeout} is {@code IIOS_CALL_TIMEOUT}. */
    public String envName() {
        return envName(key);
    }

    /** The environment variable form of any key. */
    public static String envName(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            sb.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
        }
        return sb.toString();
    }
}
