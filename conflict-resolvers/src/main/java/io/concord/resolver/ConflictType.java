package io.concord.resolver;

import java.util.Locale;
import java.util.Optional;

/**
 * The kind of a conflict, named local side first: {@code UPDATE_DELETE} means the local row was
 * written while the remote write deleted it. Delete/delete is not a conflict: both sides agree.
 */
public enum ConflictType {
    /** Both sides inserted the key without seeing each other. */
    INSERT_INSERT,
    /** Both sides changed the row without seeing each other. */
    UPDATE_UPDATE,
    /** The local row is live (updated or inserted); the remote write deleted it. */
    UPDATE_DELETE,
    /** The local row is deleted; the remote write updated or re-inserted it. */
    DELETE_UPDATE;

    /** The lower-case name stored in {@code concord.conflicts.conflict_type}, e.g. {@code update_delete}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether one side is a tombstone. */
    public boolean involvesDelete() {
        return this == UPDATE_DELETE || this == DELETE_UPDATE;
    }

    /** The type of a conflict between two concurrent versions; empty when both are tombstones. */
    public static Optional<ConflictType> between(VersionedRow local, VersionedRow remote) {
        if (local.isTombstone() && remote.isTombstone()) {
            return Optional.empty();
        }
        if (local.isTombstone()) {
            return Optional.of(DELETE_UPDATE);
        }
        if (remote.isTombstone()) {
            return Optional.of(UPDATE_DELETE);
        }
        boolean bothInserts = local.operation() == Operation.INSERT && remote.operation() == Operation.INSERT;
        return Optional.of(bothInserts ? INSERT_INSERT : UPDATE_UPDATE);
    }
}
