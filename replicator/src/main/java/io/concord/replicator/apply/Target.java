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
    /**
     * Column name → type name. The table's own map, shared by every row of it, until an event or a stored state
     * names a column or a type it does not have: then this row's copy (a copy per row was a tenth of apply's time).
     */
    private Map<String, String> types;
    private boolean ownTypes;
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
        this.types = table.columnTypes();
    }

    /** The type of every column known for this row: of the table here, its stored state and its events. */
    Map<String, String> types() {
        return types;
    }

    /** Adds the types of an event's columns (null: none), which win over those stored before. */
    void addTypes(List<Column> columns) {
        if (columns != null) {
            for (Column column : columns) {
                addType(column.getName(), column.getType());
            }
        }
    }

    /** Adds the types a stored state was saved with, which win over those known before. */
    void addTypes(Map<String, String> stored) {
        stored.forEach(this::addType);
    }

    private void addType(String column, String type) {
        if (type.equals(types.get(column))) {
            return; // the usual case, names being pooled (RecordReader): an identity match
        }
        if (!ownTypes) {
            types = new HashMap<>(types);
            ownTypes = true;
        }
        types.put(column, type);
    }
}
