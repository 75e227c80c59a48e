package io.concord.replicator.config;

/**
 * One thing wrong in a config file: where it is (key path, line) and what is wrong, naming the
 * bad value and what was expected.
 *
 * @param path dotted key path, e.g. {@code tables[1].resolver.order}; empty for the whole file
 * @param line 1-based line, or 0 when unknown
 * @param message what is wrong
 */
public record ConfigError(String path, int line, String message) {

    /** A value that is there but wrong. */
    static ConfigError invalid(String path, int line, String value, String expected) {
        return new ConfigError(path, line, value + " is not valid; expected " + expected);
    }

    /** A required value that is missing. */
    static ConfigError missing(String path, int line, String expected) {
        return new ConfigError(path, line, "expected " + expected);
    }

    @Override
    public String toString() {
        if (path.isEmpty()) {
            // The message names its own place (a resolver's problems carry their option path).
            return (line > 0 ? "line " + line + ": " : "") + message;
        }
        return path + (line > 0 ? " (line " + line + ")" : "") + ": " + message;
    }
}
