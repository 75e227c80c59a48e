package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.TableRef;
import io.concord.replicator.types.BuiltinTypes;
import io.concord.replicator.types.PgTextCodec;
import io.concord.replicator.types.PgType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The row key every DC must write identically: PostgreSQL text forms in compact, minimally escaped JSON. */
class RowKeyTest {

    @Test
    void isACompactJsonArrayOfTheKeyColumnsTextForms() {
        RowKey key = RowKey.of("public.orders", List.of(column(BuiltinTypes.INT8, "42"), column(BuiltinTypes.TEXT, "x")));

        assertThat(key).isEqualTo(new RowKey("public.orders", "[\"42\",\"x\"]"));
        assertThat(key).hasToString("public.orders[\"42\",\"x\"]");
    }

    @Test
    void anEventsTableRefNamesSchemaAndTable() {
        // Avro renames TableRef's `schema` accessor to getSchema$(); getSchema() is the record's own schema.
        RowKey key = RowKey.of(new TableRef("shop", "orders"), List.of(column(BuiltinTypes.INT8, "7")));

        assertThat(key.table()).isEqualTo("shop.orders");
        assertThat(key.toString()).isEqualTo("shop.orders[\"7\"]");
    }

    @Test
    void nullIsJsonNull() {
        RowKey key = RowKey.of("s.t", List.of(column(BuiltinTypes.INT4, "1"), new Column("b", "text", new Datum(null))));

        assertThat(key.key()).isEqualTo("[\"1\",null]");
    }

    @Test
    void escapesOnlyWhatJsonRequires() {
        RowKey key = RowKey.of("s.t", List.of(column(BuiltinTypes.TEXT, "a\"b\\c/d\u0001\n\té漢😀")));

        assertThat(key.key()).isEqualTo("[\"a\\\"b\\\\c/d\\u0001\\n\\té漢😀\"]");
    }

    @Test
    void usesPostgresTextSoEveryDcWritesTheSameKey() {
        List<Column> columns = List.of(column(BuiltinTypes.NUMERIC, "1.50"), column(BuiltinTypes.BOOL, "t"),
                column(BuiltinTypes.TIMESTAMPTZ, "2024-02-29 12:00:00.5+00"), column(BuiltinTypes.UUID,
                        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), column(BuiltinTypes.arrayOf(BuiltinTypes.TEXT), "{a,\"b c\"}"));

        assertThat(RowKey.of(new TableRef("s", "t"), columns).key()).isEqualTo(
                "[\"1.50\",\"t\",\"2024-02-29 12:00:00.5+00\",\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",\"{a,\\\"b c\\\"}\"]");
    }

    /** The plain path (nothing to escape) and the JSON generator's agree on every key: random texts of tricky characters. */
    @Test
    void everyKeyIsTheJsonAGeneratorWrites() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Random random = new java.util.Random(7);
        String alphabet = "a1 /-_.é漢\u0000\u001f\u007f\"\\\n\u2028😀";
        for (int i = 0; i < 5_000; i++) {
            List<String> texts = new java.util.ArrayList<>();
            for (int column = 0; column <= random.nextInt(3); column++) {
                StringBuilder text = new StringBuilder();
                for (int c = random.nextInt(6); c > 0; c--) {
                    text.appendCodePoint(alphabet.codePoints().toArray()[random.nextInt((int) alphabet.codePoints().count())]);
                }
                texts.add(random.nextInt(8) == 0 ? null : text.toString());
            }
            assertThat(RowKey.ofTexts("s.t", texts).key()).as("%s", texts).isEqualTo(json.writeValueAsString(texts));
        }
    }

    @Test
    void aRowNeedsAKey() {
        assertThatThrownBy(() -> RowKey.of("s.t", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s.t needs at least one key column");
    }

    private static Column column(PgType type, String text) {
        return new Column("c", type.name(), PgTextCodec.decode(type, text));
    }
}
