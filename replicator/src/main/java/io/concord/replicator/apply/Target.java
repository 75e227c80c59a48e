package io.concord.replicator.apply;

import io.concord.event.Column;
import io.concord.replicator.store.RowKey;
import io.concord.resolver.RowImage;
import io.concord.resolver.state.RowState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One row a batch touches, while the batch is decided: its key, whether its user row was found and
 * locked, its state as it evolves through the batch's events, and the column types its state
 * needs to be stored.
 */
final class Target {

    final ApplyTable table;
    final RowKey key;
    final List<Column> keyColumns;
    final RowImage keyImage;
    /** Column name → type name; a hash map: it is filled and read for every event and row, never iterated in order. */
    final Map<String, String> types = new HashMap<>();
    boolean locked;
    /** Whether a state of the row was stored when the batch read it. */
    boolean stored;
    RowState state = RowState.empty();
    /** Whether the user row must be written: some event of the batch changed it. */
    boolean rowChanged;
    /** Whether the state moved on (applied or settled); skipped events leave it as it was. */
    boolean stateChanged;

    Target(ApplyTable table, RowKey key, List<Column> keyColumns, RowImage keyImage) {
        this.table = table;
        this.key = key;
        this.keyColumns = List.copyOf(keyColumns);
        this.keyImage = keyImage;
        types.putAll(table.columnTypes());
    }

    /** Adds the types of an event's columns (null: none), which win over those stored before. */
    void addTypes(List<Column> columns) {
        if (columns != null) {
            columns.forEach(c -> types.put(c.getName(), c.getType()));
        }
    }
}
