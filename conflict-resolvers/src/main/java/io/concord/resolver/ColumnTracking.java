package io.concord.resolver;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which per-column state a resolver needs Concord to keep for its table: none (the default), or a
 * {@link ColumnState} for every column, counters for the columns named.
 *
 * <p>The state is computed when a local write is captured, so it has to be declared up front; a
 * resolver that merges column by column cannot reconstruct it later.
 *
 * @param enabled        whether per-column state is kept at all
 * @param counterColumns the columns kept as counters (deltas, not values)
 */
public record ColumnTracking(boolean enabled, Set<String> counterColumns) {

    /** No per-column state: resolvers that pick a whole row. */
    public static final ColumnTracking NONE = new ColumnTracking(false, Set.of());

    /** Copies the set; counters need tracking enabled. */
    public ColumnTracking {
        counterColumns = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(counterColumns)));
        if (!enabled && !counterColumns.isEmpty()) {
            throw new IllegalArgumentException("counter columns need column tracking enabled");
        }
    }

    /** Per-column state for every column; {@code counterColumns} as counters. */
    public static ColumnTracking columns(Set<String> counterColumns) {
        return new ColumnTracking(true, counterColumns);
    }

    /** Whether {@code column} is kept as a counter. */
    public boolean isCounter(String column) {
        return counterColumns.contains(column);
    }
}
