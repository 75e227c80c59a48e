package io.concord.resolver;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds resolvers by name: a short name of a {@link ResolverFactory} published through
 * {@link ServiceLoader} (the built-ins {@code lww}, {@code priority}, {@code merge}, {@code record}),
 * or the fully qualified name of a class on the classpath that implements {@link ConflictResolver}
 * (with a public constructor taking {@link ResolverOptions}, or a public no-argument one) or
 * {@link ResolverFactory}.
 *
 * <p>Meant to run at start: an unknown name or a bad option fails with every problem listed, the
 * known names included, before anything is replicated.
 */
public final class ResolverRegistry {

    private final SortedMap<String, ResolverFactory> factories;
    private final ClassLoader classLoader;

    private ResolverRegistry(SortedMap<String, ResolverFactory> factories, ClassLoader classLoader) {
        this.factories = Collections.unmodifiableSortedMap(factories);
        this.classLoader = classLoader;
    }

    /** The factories visible to the thread's context class loader (or this module's). */
    public static ResolverRegistry load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : ResolverRegistry.class.getClassLoader());
    }

    /**
     * The factories visible to {@code loader}, which also loads custom resolver classes.
     *
     * @throws IllegalStateException if two factories share a name
     */
    public static ResolverRegistry load(ClassLoader loader) {
        TreeMap<String, ResolverFactory> factories = new TreeMap<>();
        for (ResolverFactory factory : ServiceLoader.load(ResolverFactory.class, loader)) {
            ResolverFactory clash = factories.putIfAbsent(factory.name(), factory);
            if (clash != null) {
                throw new IllegalStateException("two resolver factories are named '" + factory.name() + "': "
                        + clash.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return new ResolverRegistry(factories, loader);
    }

    /** The short names known, sorted. */
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(factories.keySet()));
    }

    /** {@link #create(String, String, Map)} with problems reported under {@code resolver}. */
    public ConfiguredResolver create(String nameOrClass, Map<String, ?> options) {
        return create("resolver", nameOrClass, options);
    }

    /**
     * Builds and validates a table's resolver.
     *
     * @param path        where the options sit in the configuration, for messages
     * @param nameOrClass a short name or a class name
     * @param options     the resolver's options, including the common {@code record} and {@code update-delete}
     * @throws ResolverConfigException listing every problem, if the name or any option is wrong
     */
    public ConfiguredResolver create(String path, String nameOrClass, Map<String, ?> options) {
        Objects.requireNonNull(nameOrClass, "nameOrClass");
        ResolverOptions resolverOptions = ResolverOptions.root(path, options, this);
        boolean record = resolverOptions.bool("record", false);
        Map<String, UpdateDeletePolicy> policies = new TreeMap<>();
        for (UpdateDeletePolicy policy : UpdateDeletePolicy.values()) {
            policies.put(policy.optionValue(), policy);
        }
        UpdateDeletePolicy updateDelete = resolverOptions.choice("update-delete", policies, UpdateDeletePolicy.LWW);
        ConflictResolver resolver = build(path, nameOrClass, resolverOptions);
        resolverOptions.check();
        return new ConfiguredResolver(nameOrClass, resolver, updateDelete, record);
    }

    ConflictResolver build(String path, String nameOrClass, ResolverOptions options) {
        ResolverFactory factory = factories.get(nameOrClass);
        if (factory != null) {
            return Objects.requireNonNull(factory.create(options), () -> "resolver factory '" + nameOrClass + "' returned null");
        }
        if (!nameOrClass.contains(".")) {
            throw options.fail(path + ": unknown resolver '" + nameOrClass + "'; known: "
                    + String.join(", ", factories.keySet()) + ", or a custom resolver's fully qualified class name");
        }
        Class<?> type;
        try {
            type = Class.forName(nameOrClass, true, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw options.fail(path + ": unknown resolver '" + nameOrClass + "': no such class on the classpath"
                    + " (built-in resolvers: " + String.join(", ", factories.keySet()) + ")");
        }
        if (ResolverFactory.class.isAssignableFrom(type)) {
            ResolverFactory custom = (ResolverFactory) instantiate(path, type, options, false);
            return Objects.requireNonNull(custom.create(options), () -> nameOrClass + ".create returned null");
        }
        if (ConflictResolver.class.isAssignableFrom(type)) {
            return (ConflictResolver) instantiate(path, type, options, true);
        }
        throw options.fail(path + ": class " + nameOrClass + " is neither a " + ConflictResolver.class.getName()
                + " nor a " + ResolverFactory.class.getName());
    }

    private static Object instantiate(String path, Class<?> type, ResolverOptions options, boolean passOptions) {
        try {
            if (passOptions) {
                Constructor<?> withOptions = findConstructor(type, ResolverOptions.class);
                if (withOptions != null) {
                    return withOptions.newInstance(options);
                }
            }
            Constructor<?> noArgs = findConstructor(type);
            if (noArgs == null) {
                throw options.fail(path + ": class " + type.getName() + " needs a public constructor taking "
                        + (passOptions ? "ResolverOptions or " : "") + "no arguments");
            }
            return noArgs.newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw options.fail(path + ": creating " + type.getName() + " failed: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw options.fail(path + ": cannot create " + type.getName() + ": " + e);
        }
    }

    private static Constructor<?> findConstructor(Class<?> type, Class<?>... parameters) {
        try {
            return type.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
