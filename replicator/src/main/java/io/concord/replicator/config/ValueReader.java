package io.concord.replicator.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of {@link ConfigNode}s, collecting every error instead of stopping
 * at the first, and substituting {@code ${ENV_VAR}} references from the environment.
 */
final class ValueReader {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final Function<String, String> environment;
    private final List<ConfigError> errors = new ArrayList<>();

    ValueReader(Function<String, String> environment) {
        this.environment = environment;
    }

    List<ConfigError> errors() {
        return errors;
    }

    void add(ConfigError error) {
        errors.add(error);
    }

    void error(ConfigNode node, String expected) {
        errors.add(ConfigError.invalid(node.path(), node.line(), node.show(), expected));
    }

    void missing(String path, int line, String expected) {
        errors.add(ConfigError.missing(path, line, expected));
    }

    /** The child node for {@code key}, or null (after reporting it) when a required key is missing. */
    ConfigNode child(ConfigNode mapping, ConfigKey key) {
        ConfigNode node = mapping == null ? null : mapping.get(key.name());
        if ((node == null || node.isNull()) && key.required()) {
            missing(key.path(), mapping == null ? 0 : mapping.line(), key.type());
            return null;
        }
        return node == null || node.isNull() ? null : node;
    }

    /** A scalar's text with ${ENV} references substituted; null after reporting a non-scalar. */
    String text(ConfigNode node, String expected) {
        if (node.kind() != ConfigNode.Kind.SCALAR) {
            error(node, expected);
            return null;
        }
        Matcher matcher = ENV_REFERENCE.matcher(node.text());
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String value = environment.apply(matcher.group(1));
            if (value == null) {
                value = matcher.group(3);
            }
            if (value == null) {
                errors.add(ConfigError.invalid(node.path(), node.line(), "${" + matcher.group(1) + "}",
                        "environment variable " + matcher.group(1) + " to be set"));
                return null;
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    String string(ConfigNode mapping, ConfigKey key) {
        ConfigNode node = child(mapping, key);
        if (node == null) {
            return key.required() ? null : key.defaultValue();
        }
        return text(node, key.type());
    }

    String matching(ConfigNode mapping, ConfigKey key, Pattern pattern) {
        ConfigNode node = child(mapping, key);
        String value = node == null ? (key.required() ? null : key.defaultValue()) : text(node, key.type());
        if (node != null && value != null && !pattern.matcher(value).matches()) {
            error(node, key.type());
            return null;
        }
        return value;
    }

    int integer(ConfigNode mapping, ConfigKey key, int min, int max) {
        ConfigNode node = child(mapping, key);
        String value = node == null ? key.defaultValue() : text(node, key.type());
        try {
            int parsed = Integer.parseInt(value == null ? "" : value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        if (node != null && value != null) {
            error(node, key.type());
        }
        return Integer.parseInt(key.defaultValue());
    }

    Duration duration(ConfigNode mapping, ConfigKey key) {
        ConfigNode node = child(mapping, key);
        String value = node == null ? key.defaultValue() : text(node, key.type());
        Duration parsed = value == null ? null : parseDuration(value.strip());
        if (parsed == null) {
            if (node != null && value != null) {
                error(node, key.type());
            }
            return parseDuration(key.defaultValue());
        }
        return parsed;
    }

    private static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    List<String> strings(ConfigNode mapping, ConfigKey key, Pattern each, String eachExpected) {
        ConfigNode node = child(mapping, key);
        if (node == null) {
            return List.of();
        }
        if (node.kind() != ConfigNode.Kind.SEQUENCE) {
            error(node, key.type());
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (ConfigNode item : node.items()) {
            String value = text(item, eachExpected);
            if (value != null && !each.matcher(value).matches()) {
                error(item, eachExpected);
            } else if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** Reports keys that no definition knows: a typo must not be silently ignored. */
    void rejectUnknown(ConfigNode mapping, Set<String> known) {
        if (mapping == null) {
            return;
        }
        if (mapping.kind() != ConfigNode.Kind.MAPPING) {
            error(mapping, "a mapping with keys " + String.join(", ", known.stream().sorted().toList()));
            return;
        }
        for (ConfigNode node : mapping.entries().values()) {
            String key = node.path().substring(node.path().lastIndexOf('.') + 1);
            if (!known.contains(key)) {
                errors.add(ConfigError.invalid(node.path(), node.line(), "unknown key '" + key + "'",
                        "one of " + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }
}
