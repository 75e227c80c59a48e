package io.concord.resolver.state;

import io.concord.version.Causality;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of receiving a remote write.
 *
 * @param state      the row's state afterwards (the same object if the write was skipped)
 * @param causality  how the remote write relates to the local state: {@code AFTER} applied,
 *                   {@code BEFORE} or {@code EQUAL} skipped (stale or duplicate),
 *                   {@code CONCURRENT} settled by the resolver
 * @param conflict   the conflict, for concurrent writes other than two deletes
 * @param rowChanged whether the user table's row must be written (inserted, updated or deleted);
 *                   when false only the version state moves on
 */
public record Reconciliation(RowState state, Causality causality, Optional<Conflict> conflict, boolean rowChanged) {

    /** Checks the parts. */
    public Reconciliation {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(causality, "causality");
        Objects.requireNonNull(conflict, "conflict");
    }
}
