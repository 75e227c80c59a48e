package io.concord.resolver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A resolver's options, as parsed from the table's configuration (YAML: strings, numbers,
 * booleans, lists, nested maps), with getters that validate as they read.
 *
 * <p>A getter that finds a bad value records a problem — naming the option's path, the value and
 * what was expected — and returns its default so reading can go on; {@link #check()} then reports
 * every problem at once, together with any key that no getter read (a typo, most likely). Concord
 * calls {@code check()} after the resolver is built; call it yourself only when using options
 * outside {@link ResolverRegistry}.
 */
public final class ResolverOptions {

    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<String> problems;
    private final ResolverRegistry registry;

    private ResolverOptions(String path, Map<String, ?> values, List<String> problems, ResolverRegistry registry) {
        this.path = Objects.requireNonNull(path, "path");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        this.problems = problems;
        this.registry = registry;
    }

    /** Options outside any configuration file, e.g. in a test; problems are reported under {@code options}. */
    public static ResolverOptions of(Map<String, ?> values) {
        return new ResolverOptions("options", values, new ArrayList<>(), null);
    }

    static ResolverOptions root(String path, Map<String, ?> values, ResolverRegistry registry) {
        return new ResolverOptions(path, values, new ArrayList<>(), registry);
    }

    /** Where these options sit in the configuration, e.g. {@code tables.public.orders.resolver}. */
    public String path() {
        return path;
    }

    /** Whether {@code key} is set. */
    public boolean has(String key) {
        read.add(key);
        return values.containsKey(key);
    }

    /** A text option, if set. */
    public Optional<String> string(String key) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || text.isEmpty()) {
            problem(key, value, "a non-empty string");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** A text option, or {@code defaultValue} if not set. */
    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /** A boolean option ({@code true} or {@code false}), or {@code defaultValue} if not set. */
    public boolean bool(String key, boolean defaultValue) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        problem(key, value, "true or false");
        return defaultValue;
    }

    /** A required, non-empty list of non-empty strings; an empty list if missing or bad. */
    public List<String> stringList(String key) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            problems.add(where(key) + ": missing, expected a list of strings, e.g. [a, b]");
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.isEmpty()
                || !list.stream().allMatch(e -> e instanceof String s && !s.isBlank())) {
            problem(key, value, "a non-empty list of strings, e.g. [a, b]");
            return List.of();
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** An optional map of string to string, in configuration order; empty if missing or bad. */
    public Map<String, String> stringMap(String key) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)
                || !map.entrySet().stream().allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof String)) {
            problem(key, value, "a map of names to strings, e.g. {qty: counter}");
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put((String) k, (String) v));
        return Collections.unmodifiableMap(copy);
    }

    /** One of {@code choices}' keys, mapped to its value; {@code defaultValue} if not set or bad. */
    public <T> T choice(String key, Map<String, T> choices, T defaultValue) {
        Optional<String> name = string(key);
        if (name.isEmpty()) {
            return defaultValue;
        }
        T chosen = choices.get(name.get());
        if (chosen == null) {
            problem(key, name.get(), "one of " + String.join(", ", new TreeMap<>(choices).keySet()));
            return defaultValue;
        }
        return chosen;
    }

    /** Records a problem with option {@code key} found by the resolver's own validation. */
    public void problem(String key, Object value, String expected) {
        problems.add(where(key) + ": got " + describe(value) + ", expected " + expected);
    }

    /**
     * The options not read so far, as options of their own (for a resolver that delegates, such as
     * {@code record}); they count as read here and their problems are reported with these.
     */
    public ResolverOptions forward() {
        Map<String, Object> rest = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (!read.contains(key)) {
                rest.put(key, value);
            }
        });
        read.addAll(rest.keySet());
        return new ResolverOptions(path, rest, problems, registry);
    }

    /**
     * Builds another resolver by short name or class name with {@code options} (usually
     * {@link #forward()}), for resolvers that delegate.
     *
     * @throws ResolverConfigException at once, with every problem so far, if the name is unknown
     */
    public ConflictResolver resolver(String nameOrClass, ResolverOptions options) {
        ResolverRegistry lookup = registry != null ? registry : ResolverRegistry.load();
        ConflictResolver resolver = lookup.build(path, nameOrClass, options);
        options.addUnknownKeys();
        return resolver;
    }

    /**
     * Reports every problem found so far and every option nobody read.
     *
     * @throws ResolverConfigException if there is any
     */
    public void check() {
        addUnknownKeys();
        if (!problems.isEmpty()) {
            throw new ResolverConfigException(problems);
        }
    }

    /** Throws at once with every problem so far plus {@code problem}. */
    ResolverConfigException fail(String problem) {
        problems.add(problem);
        return new ResolverConfigException(problems);
    }

    private void addUnknownKeys() {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                problems.add(where(key) + ": unknown option"
                        + (read.isEmpty() ? " (this resolver takes none)" : " (known: " + String.join(", ", read) + ")"));
                read.add(key);
            }
        }
    }

    private String where(String key) {
        return path + "." + key;
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return "'" + text + "'";
        }
        return value + " (" + (value == null ? "null" : value.getClass().getSimpleName()) + ")";
    }
}
