package io.concord.replicator.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it came from, so that every config error can name its key path
 * and line. A node is a scalar (text), a mapping or a sequence; YAML null is a scalar with null text.
 */
public final class ConfigNode {

    /** What kind of YAML value a node holds. */
    public enum Kind { SCALAR, MAPPING, SEQUENCE }

    private final Kind kind;
    private final String path;
    private final int line;
    private final String text;
    private final Map<String, ConfigNode> entries;
    private final List<ConfigNode> items;

    private ConfigNode(Kind kind, String path, int line, String text, Map<String, ConfigNode> entries,
            List<ConfigNode> items) {
        this.kind = kind;
        this.path = path;
        this.line = line;
        this.text = text;
        this.entries = entries;
        this.items = items;
    }

    static ConfigNode scalar(String path, int line, String text) {
        return new ConfigNode(Kind.SCALAR, path, line, text, Map.of(), List.of());
    }

    static ConfigNode mapping(String path, int line, LinkedHashMap<String, ConfigNode> entries) {
        return new ConfigNode(Kind.MAPPING, path, line, null, Collections.unmodifiableMap(entries), List.of());
    }

    static ConfigNode sequence(String path, int line, List<ConfigNode> items) {
        return new ConfigNode(Kind.SEQUENCE, path, line, null, Map.of(), List.copyOf(items));
    }

    public Kind kind() {
        return kind;
    }

    /** Dotted key path from the root, e.g. {@code tables[2].resolver.order}. */
    public String path() {
        return path;
    }

    /** 1-based line in the file. */
    public int line() {
        return line;
    }

    /** The scalar's text; null for YAML null and for mappings and sequences. */
    public String text() {
        return text;
    }

    public Map<String, ConfigNode> entries() {
        return entries;
    }

    public List<ConfigNode> items() {
        return items;
    }

    public ConfigNode get(String key) {
        return entries.get(key);
    }

    public boolean isNull() {
        return kind == Kind.SCALAR && text == null;
    }

    /** A short rendering of the value for error messages. */
    public String show() {
        return switch (kind) {
            case SCALAR -> text == null ? "null" : "'" + text + "'";
            case MAPPING -> "a mapping";
            case SEQUENCE -> "a list";
        };
    }

    /** Plain Java form (String, List, Map) for options handed to resolvers. */
    public Object toPlain() {
        return switch (kind) {
            case SCALAR -> text;
            case SEQUENCE -> items.stream().map(ConfigNode::toPlain).toList();
            case MAPPING -> {
                Map<String, Object> plain = new LinkedHashMap<>();
                entries.forEach((key, node) -> plain.put(key, node.toPlain()));
                yield Collections.unmodifiableMap(plain);
            }
        };
    }
}
