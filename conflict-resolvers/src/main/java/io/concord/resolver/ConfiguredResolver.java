package io.concord.resolver;

import java.util.Objects;

/**
 * A table's resolver with the options Concord handles for every resolver.
 *
 * @param name         the name it was configured by (short name or class name)
 * @param resolver     the resolver
 * @param updateDelete option {@code update-delete}: how update/delete conflicts are settled
 * @param recordAll    option {@code record}: record every conflict, whatever the resolver says
 */
public record ConfiguredResolver(String name, ConflictResolver resolver, UpdateDeletePolicy updateDelete,
                                 boolean recordAll) {

    /** Checks the parts. */
    public ConfiguredResolver {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(updateDelete, "updateDelete");
    }

    /** A resolver with the defaults: update/delete by last-write-wins, record only what it asks. */
    public static ConfiguredResolver of(String name, ConflictResolver resolver) {
        return new ConfiguredResolver(name, resolver, UpdateDeletePolicy.LWW, false);
    }
}
