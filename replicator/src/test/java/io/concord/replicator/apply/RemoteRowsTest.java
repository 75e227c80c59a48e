package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import io.concord.replicator.store.RowKey;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.Reconciler;
import io.concord.resolver.state.RowState;
import io.concord.version.RowVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteRowsTest {

    private static final ApplyTable TABLE = new ApplyTable("public.t", "\"public\".\"t\"", List.of("id"),
            Map.of("id", "int8", "body", "text", "n", "int4"),
            Map.of("id", "pg_catalog.int8", "body", "pg_catalog.text", "n", "pg_catalog.int4"),
            new Reconciler("public.t", ResolverRegistry.load().create("lww", Map.of())), true);

    @Test
    void anUnchangedToastedColumnKeepsTheLocalValueNeverNull() {
        ChangeEvent event = event(Operation.UPDATE, List.of(id(1), new Column("n", "int4", new Datum(2))), List.of("body"));
        Target target = target(event);
        target.state = RowState.of(VersionedRow.live(io.concord.resolver.Operation.INSERT,
                RowImage.of(Map.of("id", 1L, "body", "long text", "n", 1)), RowVersion.of(Map.of("b", 1L), 10, "b")));

        VersionedRow remote = new RemoteRows().of(event, target);

        assertThat(remote.row()).isEqualTo(RowImage.of(Map.of("id", 1L, "body", "long text", "n", 2)));
        assertThat(target.types()).containsEntry("n", "int4");
    }

    @Test
    void anUnchangedToastedColumnUnknownHereStaysAbsent() {
        ChangeEvent event = event(Operation.UPDATE, List.of(id(1)), List.of("body"));
        VersionedRow remote = new RemoteRows().of(event, target(event));
        assertThat(remote.row().contains("body")).isFalse();
    }

    @Test
    void aDeleteIsATombstoneWithTheEventsVersion() {
        ChangeEvent event = event(Operation.DELETE, null, List.of());
        VersionedRow remote = new RemoteRows().of(event, target(event));
        assertThat(remote.isTombstone()).isTrue();
        assertThat(remote.version()).isEqualTo(RowVersion.of(Map.of("b", 2L), 20, "b"));
    }

    @Test
    void aColumnMissingHereIsNamed() {
        ChangeEvent event = event(Operation.INSERT, List.of(id(1), new Column("extra", "text", new Datum("x"))), List.of());
        assertThat(RemoteRows.missingColumn(TABLE, event)).isEqualTo(
                "column extra of table public.t does not exist in this DC");
        assertThat(RemoteRows.missingColumn(TABLE, event(Operation.INSERT, List.of(id(1)), List.of()))).isNull();
    }

    private static Target target(ChangeEvent event) {
        return new Target(TABLE, RowKey.of(event.getTable(), event.getKey()), event.getKey(),
                RemoteRows.keyImage(event));
    }

    private static Column id(long id) {
        return new Column("id", "int8", new Datum(id));
    }

    private static ChangeEvent event(Operation op, List<Column> after, List<String> unchangedToast) {
        return ChangeEvent.newBuilder().setEventId("b/0/1/0").setOrigin("b").setPublishedBy("b")
                .setTable(new TableRef("public", "t")).setOp(op).setKey(List.of(id(1))).setAfter(after)
                .setUnchangedToastColumns(unchangedToast)
                .setVersion(new io.concord.event.RowVersion(Map.of("b", 2L), 20L, "b"))
                .setSource(new SourceTransaction(1L, 1L, 20L, 0, true)).build();
    }
}
