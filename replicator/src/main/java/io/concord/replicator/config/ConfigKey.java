package io.concord.replicator.config;

/**
 * One documented config key: its path, the kind of value, the default (null when required)
 * and what it does. The loader takes defaults from here and the reference is generated from
 * here, so the docs cannot drift from the code.
 *
 * @param path key path; {@code []} marks list items, e.g. {@code tables[].name}
 * @param type the expected value, as shown in errors and docs
 * @param defaultValue the default as YAML text, or null when the key is required
 * @param doc what the key does
 */
public record ConfigKey(String path, String type, String defaultValue, String doc) {

    public boolean required() {
        return defaultValue == null;
    }

    /** The last segment of the path: the key as written in its mapping. */
    public String name() {
        String last = path.substring(path.lastIndexOf('.') + 1);
        return last.endsWith("[]") ? last.substring(0, last.length() - 2) : last;
    }
}
