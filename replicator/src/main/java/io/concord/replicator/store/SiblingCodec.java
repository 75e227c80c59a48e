package io.concord.replicator.store;

import io.concord.event.Operation;
import io.concord.event.Sibling;
import io.concord.resolver.ColumnStates;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One version of a row between the resolvers' {@link VersionedRow} and the stored {@link Sibling}.
 * Everything is kept, the before-image and changed columns included: a resolver that settles the
 * siblings again (when another concurrent write arrives) must see exactly what it saw the first time,
 * or replicas that settled in a different order would not converge.
 */
public final class SiblingCodec {

    private SiblingCodec() {
    }

    /**
     * The stored form; {@code types} gives each column's PostgreSQL type name.
     *
     * @throws IllegalArgumentException if a column of an image has no type in {@code types}, or a value
     *     does not fit its type
     */
    public static Sibling toAvro(VersionedRow row, Map<String, String> types) {
        ColumnStates columns = row.columns();
        return new Sibling(Operation.valueOf(row.operation().name()),
                row.row() == null ? null : RowImages.toColumns(row.row(), types),
                RowVersionCodec.toAvro(row.version()),
                columns.isEmpty() ? null : ColumnStatesCodec.toAvro(columns, types),
                row.before() == null ? null : RowImages.toColumns(row.before(), types),
                row.changedColumns() == null ? null : List.copyOf(row.changedColumns()));
    }

    /**
     * The version a stored sibling holds; {@code types} (the state's column types) decides how arrays
     * in column states read back.
     *
     * @throws IllegalArgumentException if the sibling is malformed (a row on a DELETE, none on an
     *     INSERT or UPDATE, a bad version or column state)
     */
    public static VersionedRow fromAvro(Sibling sibling, Map<String, String> types) {
        RowImage after = sibling.getAfter() == null ? null : RowImages.fromColumns(sibling.getAfter());
        RowImage before = sibling.getBefore() == null ? null : RowImages.fromColumns(sibling.getBefore());
        return new VersionedRow(io.concord.resolver.Operation.valueOf(sibling.getOp().name()), after,
                RowVersionCodec.fromAvro(sibling.getVersion()),
                ColumnStatesCodec.fromAvro(sibling.getColumnStates(), types), before,
                sibling.getChangedColumns() == null ? null : Set.copyOf(sibling.getChangedColumns()));
    }
}
