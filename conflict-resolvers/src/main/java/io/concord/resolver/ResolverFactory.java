package io.concord.resolver;

/**
 * Makes resolvers of one kind, found through {@link java.util.ServiceLoader} under a short name.
 *
 * <p>List implementations in {@code META-INF/services/io.concord.resolver.ResolverFactory}. A
 * factory needs a public no-argument constructor; it reads and validates its own options.
 */
public interface ResolverFactory {

    /** The short name used in configuration, e.g. {@code lww}. Unique across the classpath. */
    String name();

    /**
     * A resolver configured by {@code options}. Read options through {@code options}' getters; it
     * collects every problem and reports them all at once, naming each key, the bad value and what
     * was expected, and it rejects keys nobody read.
     */
    ConflictResolver create(ResolverOptions options);
}
