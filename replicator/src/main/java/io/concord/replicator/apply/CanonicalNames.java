package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.TableRef;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives the names in decoded events — tables, columns, column types — one {@code String} instance per distinct name.
 *
 * <p>Why: Avro decodes every name of every event into a new string, and apply looks each one up in several maps (the
 * table's columns, the row's types, its image): each new string was hashed character by character, and each hit
 * compared character by character, about a tenth of the apply worker's time. A canonical instance is hashed once for
 * the life of the process (a string keeps its hash) and matches the maps' keys by identity.
 *
 * <p>The events of a batch mostly name the same columns in the same order as the event before, so a name is first
 * compared with the one at its position in the previous event of that image (one vectorized comparison); only a name
 * not seen there goes to the pool, a map bounded at {@value #POOL_LIMIT} names (cleared when full: a pathological
 * schema costs speed, never memory). Not thread-safe: one per stream thread.
 */
final class CanonicalNames {

    static final int POOL_LIMIT = 10_000;

    private final Map<String, String> pool = new HashMap<>();
    private final Slots key = new Slots();
    private final Slots after = new Slots();
    private final Slots before = new Slots();
    private String lastSchema = "";
    private String lastTable = "";

    /** Replaces the event's table, column and type names by their canonical instances. */
    void canonicalize(ChangeEvent event) {
        TableRef table = event.getTable();
        if (table.getSchema$().equals(lastSchema)) {
            table.setSchema$(lastSchema);
        } else {
            lastSchema = intern(table.getSchema$());
            table.setSchema$(lastSchema);
        }
        if (table.getName().equals(lastTable)) {
            table.setName(lastTable);
        } else {
            lastTable = intern(table.getName());
            table.setName(lastTable);
        }
        key.canonicalize(event.getKey());
        after.canonicalize(event.getAfter());
        before.canonicalize(event.getBefore());
    }

    private String intern(String name) {
        String known = pool.get(name);
        if (known != null) {
            return known;
        }
        if (pool.size() >= POOL_LIMIT) {
            pool.clear();
        }
        pool.put(name, name);
        return name;
    }

    /** The names at each position of one image of the previous event. */
    private final class Slots {

        private String[] names = new String[0];
        private String[] types = new String[0];

        void canonicalize(List<Column> columns) {
            if (columns == null) {
                return;
            }
            if (names.length < columns.size()) {
                names = Arrays.copyOf(names, columns.size());
                types = Arrays.copyOf(types, columns.size());
            }
            for (int i = 0; i < columns.size(); i++) {
                Column column = columns.get(i);
                String name = column.getName();
                if (!name.equals(names[i])) {
                    names[i] = intern(name);
                }
                column.setName(names[i]);
                String type = column.getType();
                if (!type.equals(types[i])) {
                    types[i] = intern(type);
                }
                column.setType(types[i]);
            }
        }
    }
}
