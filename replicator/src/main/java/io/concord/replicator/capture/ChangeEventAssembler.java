package io.concord.replicator.capture;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.ColumnState;
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
 * Turns decoded row changes into {@link ChangeEvent}s: typed images, key, unchanged-TOAST
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

    /** Decodes a change's images; {@code keyColumns} are the table's key (primary or configured). */
    public static ChangeImages images(RowChange change, List<String> keyColumns) {
        List<String> unchangedToast = new ArrayList<>();
        if (change instanceof Insert insert) {
            return new ChangeImages(Operation.INSERT, key(change, keyColumns), image(insert.newTuple(), unchangedToast),
                    null, unchangedToast, null);
        }
        if (change instanceof Update update) {
            List<Column> after = image(update.newTuple(), unchangedToast);
            List<Column> before = oldImage(update.oldImage(), update.oldTuple());
            return new ChangeImages(Operation.UPDATE, key(change, keyColumns), after, before, unchangedToast,
                    update.oldImage() == OldImage.FULL ? changed(before, after) : null);
        }
        Delete delete = (Delete) change;
        return new ChangeImages(Operation.DELETE, key(change, keyColumns), null,
                oldImage(delete.oldImage(), delete.oldTuple()), List.of(), null);
    }

    /**
     * @param origin the DC whose application wrote the change
     * @param transaction the BEGIN of the change's transaction (commit LSN, time, xid)
     * @param seq the event's position in its transaction, from 0
     * @param last whether it is the transaction's last event
     * @param version the row's version after the change
     * @param columnStates the row's per-column merge state after the change, or null for tables without
     */
    public ChangeEvent assemble(String origin, Begin transaction, int seq, boolean last, Relation relation,
            ChangeImages images, RowVersion version, List<ColumnState> columnStates) {
        return ChangeEvent.newBuilder()
                .setEventId(origin + "/" + transaction.finalLsn() + "/" + seq)
                .setOrigin(origin)
                .setPublishedBy(publishedBy)
                .setTable(new TableRef(relation.namespace(), relation.name()))
                .setOp(images.operation())
                .setKey(images.key())
                .setAfter(images.after())
                .setBefore(images.before())
                .setUnchangedToastColumns(images.unchangedToast())
                .setChangedColumns(images.changed())
                .setVersion(version)
                .setColumnStates(columnStates)
                .setSource(new SourceTransaction(transaction.xid(), transaction.finalLsn().value(),
                        transaction.commitTimeMicros(), seq, last))
                .build();
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

    /** The key columns of the row a change leaves (the new key for an UPDATE that changed it). */
    public static List<Column> key(RowChange change, List<String> keyColumns) {
        Relation relation = change.relation();
        TupleData tuple = change instanceof Insert insert ? insert.newTuple()
                : change instanceof Update update ? update.newTuple() : ((Delete) change).oldTuple();
        return keyOf(relation, tuple, keyColumns);
    }

    /** The key columns of the row before an UPDATE, when its old key was sent; else null. */
    public static List<Column> oldKey(Update update, List<String> keyColumns) {
        return update.oldImage() == OldImage.NONE ? null : keyOf(update.relation(), update.oldTuple(), keyColumns);
    }

    private static List<Column> keyOf(Relation relation, TupleData tuple, List<String> keyColumns) {
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
