package io.concord.resolver;

import io.concord.version.RowVersion;
import java.util.Objects;

/**
 * What a resolver is told about one conflict. Immutable: a resolver can read everything and change
 * nothing.
 *
 * <p>{@code local} is the version this replica holds, {@code remote} the concurrent one it is
 * settled against. When a row has several concurrent versions, Concord settles them two at a time
 * in a fixed order, so {@code local} may be a version that came from another DC, or one a resolver
 * already merged; a resolver must therefore give the same row whichever side is which
 * (commutativity; the conformance kit checks it).
 *
 * @param table        the table, e.g. {@code public.orders}
 * @param key          the row's key columns
 * @param local        the version held here
 * @param remote       the concurrent version
 * @param updateDelete how the table settles update/delete conflicts (option {@code update-delete})
 */
public record ConflictContext(String table, RowImage key, VersionedRow local, VersionedRow remote,
                              UpdateDeletePolicy updateDelete) {

    /** Checks the parts; two tombstones are not a conflict. */
    public ConflictContext {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(updateDelete, "updateDelete");
        if (local.isTombstone() && remote.isTombstone()) {
            throw new IllegalArgumentException("two deletes of " + table + " " + key + " are not a conflict");
        }
    }

    /** The kind of conflict, local side first. */
    public ConflictType type() {
        return ConflictType.between(local, remote).orElseThrow();
    }

    /** The version the settled row will have: it dominates both sides, whatever the decision. */
    public RowVersion mergedVersion() {
        return local.version().merge(remote.version());
    }

    /** Whether the remote side is the later write by {@code (hlc, dc)}, the last-write-wins order. */
    public boolean remoteIsNewer() {
        return remote.timestamp().compareTo(local.timestamp()) > 0;
    }
}
