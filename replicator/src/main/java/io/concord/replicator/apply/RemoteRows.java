package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.replicator.store.ColumnStatesCodec;
import io.concord.replicator.store.RowImages;
import io.concord.replicator.store.RowVersionCodec;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import java.util.List;
import java.util.Set;

/** The remote write a change event carries, as the reconciler takes it in. */
final class RemoteRows {

    /**
     * The event's version of the row. Its types join the target's, and a column whose TOASTed value the
     * source did not send (unchanged) keeps the value of the row as it stands here: never NULL.
     */
    VersionedRow of(ChangeEvent event, Target target) {
        target.addTypes(event.getKey());
        target.addTypes(event.getBefore());
        target.addTypes(event.getAfter());
        Operation operation = Operation.valueOf(event.getOp().name());
        RowImage after = null;
        if (operation != Operation.DELETE) {
            after = RowImages.fromColumns(event.getAfter());
            VersionedRow local = target.state.current();
            for (String column : event.getUnchangedToastColumns()) {
                if (!after.contains(column) && local != null && !local.isTombstone() && local.row().contains(column)) {
                    after = after.with(column, local.row().get(column));
                }
            }
        }
        return new VersionedRow(operation, after, RowVersionCodec.fromAvro(event.getVersion()),
                ColumnStatesCodec.fromAvro(event.getColumnStates(), target.types()),
                event.getBefore() == null ? null : RowImages.fromColumns(event.getBefore()),
                event.getChangedColumns() == null ? null : Set.copyOf(event.getChangedColumns()));
    }

    /** The key columns' image. */
    static RowImage keyImage(ChangeEvent event) {
        return RowImages.fromColumns(event.getKey());
    }

    /** A problem naming the first column of the event that the table does not have here; null if none. */
    static String missingColumn(ApplyTable table, ChangeEvent event) {
        for (List<Column> image : List.of(event.getKey(), event.getAfter() == null ? List.<Column>of() : event.getAfter())) {
            for (Column column : image) {
                if (!table.columnTypes().containsKey(column.getName())) {
                    return "column " + column.getName() + " of table " + table.qualifiedName()
                            + " does not exist in this DC";
                }
            }
        }
        for (String key : table.keyColumns()) {
            if (event.getKey().stream().noneMatch(c -> c.getName().equals(key))) {
                return "the event's key of " + table.qualifiedName() + " lacks key column " + key;
            }
        }
        return null;
    }
}
