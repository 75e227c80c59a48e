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
import io.concord.resolver.state.Reconciler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalNamesTest {

    private final CanonicalNames names = new CanonicalNames();

    @Test
    void equalNamesOfDifferentEventsBecomeOneInstance() {
        ChangeEvent first = event("items", List.of("id", "name", "qty"));
        ChangeEvent second = event("items", List.of("id", "name", "qty"));
        names.canonicalize(first);
        names.canonicalize(second);

        for (int i = 0; i < 3; i++) {
            assertThat(second.getAfter().get(i).getName()).isSameAs(first.getAfter().get(i).getName());
            assertThat(second.getAfter().get(i).getType()).isSameAs(first.getAfter().get(i).getType());
        }
        assertThat(second.getKey().get(0).getName()).isSameAs(first.getKey().get(0).getName());
        assertThat(second.getTable().getName()).isSameAs(first.getTable().getName());
        assertThat(second.getTable().getSchema$()).isSameAs(first.getTable().getSchema$());
        assertThat(second.getAfter().get(0).getName()).isEqualTo("id");
    }

    @Test
    void aNameAtAnotherPositionOrOfAnotherTableIsStillTheSameInstance() {
        ChangeEvent first = event("items", List.of("id", "name", "qty"));
        ChangeEvent other = event("notes", List.of("id", "body"));
        ChangeEvent reordered = event("items", List.of("qty", "id", "name"));
        names.canonicalize(first);
        names.canonicalize(other);
        names.canonicalize(reordered);

        assertThat(reordered.getAfter().get(0).getName()).isSameAs(first.getAfter().get(2).getName());
        assertThat(reordered.getAfter().get(1).getName()).isSameAs(first.getAfter().get(0).getName());
        assertThat(other.getAfter().get(0).getName()).isSameAs(first.getAfter().get(0).getName());
        assertThat(reordered.getTable().getName()).isSameAs(first.getTable().getName()).isEqualTo("items");
        assertThat(other.getTable().getName()).isEqualTo("notes");
    }

    @Test
    void canonicalNamesMakeATargetShareItsTablesTypesAndRowKeysShareTheTableName() {
        ApplyTable table = new ApplyTable("public.items", "\"public\".\"items\"", List.of("id"),
                Map.of("id", "int8", "name", "text", "qty", "int4"), Map.of(),
                new Reconciler("public.items", ResolverRegistry.load().create("lww", Map.of())), true);
        ChangeEvent first = event("items", List.of("id", "name", "qty"));
        ChangeEvent second = event("items", List.of("id", "name", "qty"));
        names.canonicalize(first);
        names.canonicalize(second);

        Target target = new Target(table, RowKey.of(first.getTable(), first.getKey()), first.getKey(),
                RemoteRows.keyImage(first));
        target.addTypes(first.getAfter());
        assertThat(target.types()).as("nothing new: the table's own map, not a copy").isSameAs(table.columnTypes());
        assertThat(RowKey.of(second.getTable(), second.getKey()).table())
                .isSameAs(RowKey.of(first.getTable(), first.getKey()).table());

        target.addTypes(List.of(new Column("extra", "text", new Datum("x"))));
        assertThat(target.types()).containsEntry("extra", "text").containsEntry("qty", "int4");
        assertThat(table.columnTypes()).doesNotContainKey("extra");
    }

    /** An event whose names are new strings, as Avro decodes them. */
    private static ChangeEvent event(String table, List<String> columns) {
        List<Column> after = new ArrayList<>();
        for (String column : columns) {
            String type = switch (column) {
                case "id" -> "int8";
                case "qty" -> "int4";
                default -> "text";
            };
            after.add(new Column(new String(column), new String(type), new Datum(type.equals("text") ? "v" : 1L)));
        }
        return ChangeEvent.newBuilder().setEventId("b/0/1/0").setOrigin("b").setPublishedBy("b")
                .setTable(new TableRef(new String("public"), new String(table))).setOp(Operation.INSERT)
                .setKey(List.of(new Column(new String("id"), new String("int8"), new Datum(1L)))).setAfter(after)
                .setVersion(new io.concord.event.RowVersion(Map.of("b", 1L), 20L, "b"))
                .setSource(new SourceTransaction(1L, 1L, 20L, 0, true)).build();
    }
}
