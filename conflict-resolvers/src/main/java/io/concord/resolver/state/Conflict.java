package io.concord.resolver.state;

import io.concord.resolver.ConflictType;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import java.util.Objects;

/**
 * A conflict a replica detected and settled: what {@code concord.conflicts} stores about it.
 *
 * @param id         the conflict's id, the same in every DC ({@link io.concord.resolver.ConflictId})
 * @param table      the table
 * @param key        the row's key
 * @param type       the kind, local side first
 * @param local      the row as it stood here before
 * @param remote     the concurrent remote write
 * @param applied    the row as it stands now
 * @param resolution what happened to the local row
 * @param resolver   the resolver's configured name
 * @param record     whether the conflict is to be recorded (the resolver or option {@code record} asked)
 */
public record Conflict(String id, String table, RowImage key, ConflictType type, VersionedRow local,
                       VersionedRow remote, VersionedRow applied, ResolutionKind resolution, String resolver,
                       boolean record) {

    /** Checks the parts. */
    public Conflict {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(resolver, "resolver");
    }
}
