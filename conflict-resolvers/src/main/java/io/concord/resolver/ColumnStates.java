package io.concord.resolver;

import io.concord.version.VersionVector;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The per-column state of a row (column name → {@link ColumnState}), kept only for tables whose
 * resolver merges column by column ({@link ColumnTracking}); empty otherwise. The replicator
 * persists it beside the row's version and carries it in change events.
 */
public record ColumnStates(SortedMap<String, ColumnState> columns) {

    private static final ColumnStates EMPTY = new ColumnStates(new TreeMap<>());

    /** Copies the map. */
    public ColumnStates {
        Objects.requireNonNull(columns, "columns");
        TreeMap<String, ColumnState> copy = new TreeMap<>();
        columns.forEach((name, state) -> copy.put(Objects.requireNonNull(name, "column"),
                Objects.requireNonNull(state, "state of " + name)));
        columns = Collections.unmodifiableSortedMap(copy);
    }

    /** No column tracked. */
    public static ColumnStates empty() {
        return EMPTY;
    }

    /** States from a map. */
    public static ColumnStates of(Map<String, ColumnState> columns) {
        return new ColumnStates(new TreeMap<>(columns));
    }

    /** The state of {@code column}, or {@code null} if it is not tracked. */
    public ColumnState get(String column) {
        return columns.get(column);
    }

    /** Whether no column is tracked. */
    public boolean isEmpty() {
        return columns.isEmpty();
    }

    /**
     * Joins the states of two versions of a row, column by column (see {@link ColumnState#join});
     * {@code aSeen} and {@code bSeen} are their version vectors. A column tracked on one side only is
     * kept as it is. Commutative, associative and idempotent.
     */
    public static ColumnStates join(ColumnStates a, VersionVector aSeen, ColumnStates b, VersionVector bSeen) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        TreeMap<String, ColumnState> joined = new TreeMap<>();
        TreeSet<String> names = new TreeSet<>(a.columns.keySet());
        names.addAll(b.columns.keySet());
        for (String name : names) {
            ColumnState x = a.columns.get(name);
            ColumnState y = b.columns.get(name);
            ColumnState state = x == null ? y : y == null ? x : ColumnState.join(x, aSeen, y, bSeen);
            if (state != null) {
                joined.put(name, state);
            }
        }
        return new ColumnStates(joined);
    }
}
