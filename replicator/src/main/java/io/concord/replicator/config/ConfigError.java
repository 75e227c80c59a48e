package io.concord.replicator.config;

/**
 * One thing wrong in a config file: where (key path, line), the bad value, and what was expected.
 *
 * @param path dotted key path, e.g. {@code tables[1].resolver.order}; empty for the whole file
 * @param line 1-based line, or 0 when unknown
 * @param value the offending value as shown to the user, or null when the key is missing
 * @param expected what would have been accepted
 */
public record ConfigError(String path, int line, String value, String expected) {

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(path.isEmpty() ? "config" : path);
        if (line > 0) {
            text.append(" (line ").append(line).append(')');
        }
        text.append(": ");
        if (value == null) {
            text.append("expected ").append(expected);
        } else {
            text.append(value).append(" is not valid; expected ").append(expected);
        }
        return text.toString();
    }
}
