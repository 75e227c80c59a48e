package io.concord.replicator.capture;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Operation;
import io.concord.event.RowVersion;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import io.concord.replicator.capture.pgoutput.Begin;
import io.concord.replicator.capture.pgoutput.Delete;
import io.concord.replicator.capture.pgoutput.Insert;
import io.concord.replicator.capture.pgoutput.OldImage;
import io.concord.replicator.capture.pgoutput.Relation;
import io.concord.replicator.capture.pgoutput.RelationColumn;
import io.concord.replicator.capture.pgoutput.RowChange;
import io.concord.replicator.capture.pgoutput.TupleData;
import io.concord.replicator.capture.pgoutput.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns one decoded row change into a {@link ChangeEvent}: typed images, key, unchanged-TOAST
 * columns, changed columns where the old row is known, and the transaction coordinates.
 *
 * <p>Unchanged TOAST ('u') columns are left out of the after-image and listed apart, so a
 * receiver keeps its own value instead of writing NULL over it.
 */
public final class ChangeEventAssembler {

    private final String publishedBy;

    public ChangeEventAssembler(String publishedBy) {
        this.publishedBy = publishedBy;
    }

    /**
     * @param origin the DC whose application wrote the change
     * @param transaction the BEGIN of the change's transaction (commit LSN, time, xid)
     * @param index the change's position in its transaction, from 0
     * @param last whether it is the transaction's last change
     * @param keyColumns the table's key columns (primary key or configured key)
     * @param version the row's version after the change
     */
    public ChangeEvent assemble(String origin, Begin transaction, int index, boolean last, RowChange change,
            List<String> keyColumns, RowVersion version) {
        Relation relation = change.relation();
        ChangeEvent.Builder event = ChangeEvent.newBuilder()
                .setEventId(origin + "/" + transaction.finalLsn() + "/" + index)
                .setOrigin(origin)
                .setPublishedBy(publishedBy)
                .setTable(new TableRef(relation.namespace(), relation.name()))
                .setVersion(version)
                .setColumnStates(null)
                .setSource(new SourceTransaction(transaction.xid(), transaction.finalLsn().value(),
                        transaction.commitTimeMicros(), index, last));
        List<String> unchangedToast = new ArrayList<>();
        if (change instanceof Insert insert) {
            event.setOp(Operation.INSERT).setAfter(image(insert.newTuple(), unchangedToast)).setBefore(null)
                    .setKey(key(relation, insert.newTuple(), keyColumns)).setChangedColumns(null);
        } else if (change instanceof Update update) {
            List<Column> after = image(update.newTuple(), unchangedToast);
            List<Column> before = oldImage(update.oldImage(), update.oldTuple());
            event.setOp(Operation.UPDATE).setAfter(after).setBefore(before)
                    .setKey(key(relation, update.newTuple(), keyColumns))
                    .setChangedColumns(update.oldImage() == OldImage.FULL ? changed(before, after) : null);
        } else if (change instanceof Delete delete) {
            event.setOp(Operation.DELETE).setAfter(null).setBefore(oldImage(delete.oldImage(), delete.oldTuple()))
                    .setKey(key(relation, delete.oldTuple(), keyColumns)).setChangedColumns(null);
        }
        return event.setUnchangedToastColumns(unchangedToast).build();
    }

    private static List<Column> image(TupleData tuple, List<String> unchangedToast) {
        List<Column> columns = new ArrayList<>(tuple.size());
        for (int i = 0; i < tuple.size(); i++) {
            RelationColumn column = tuple.relation().column(i);
            if (tuple.isUnchangedToast(i)) {
                unchangedToast.add(column.name());
            } else {
                columns.add(new Column(column.name(), column.type().name(), tuple.datum(i)));
            }
        }
        return columns;
    }

    /** Under 'K' only the key columns were sent; the others are absent, not NULL. */
    private static List<Column> oldImage(OldImage kind, TupleData tuple) {
        if (kind == OldImage.NONE || tuple == null) {
            return null;
        }
        List<Column> columns = new ArrayList<>(tuple.size());
        for (int i = 0; i < tuple.size(); i++) {
            RelationColumn column = tuple.relation().column(i);
            if ((kind == OldImage.KEY && !column.key()) || tuple.isUnchangedToast(i)) {
                continue;
            }
            columns.add(new Column(column.name(), column.type().name(), tuple.datum(i)));
        }
        return columns;
    }

    private static List<Column> key(Relation relation, TupleData tuple, List<String> keyColumns) {
        List<Column> key = new ArrayList<>(keyColumns.size());
        for (String name : keyColumns) {
            int index = relation.indexOf(name);
            if (index < 0) {
                throw new IllegalStateException("key column " + name + " of " + relation.qualifiedName()
                        + " is not in the published columns");
            }
            key.add(new Column(name, relation.column(index).type().name(), tuple.datum(index)));
        }
        return key;
    }

    private static List<String> changed(List<Column> before, List<Column> after) {
        List<String> changed = new ArrayList<>();
        for (Column column : after) {
            Column old = before.stream().filter(c -> c.getName().equals(column.getName())).findFirst().orElse(null);
            if (old == null || !Objects.equals(old.getValue(), column.getValue())) {
                changed.add(column.getName());
            }
        }
        return changed;
    }
}
