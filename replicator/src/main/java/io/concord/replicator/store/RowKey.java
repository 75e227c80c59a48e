package io.concord.replicator.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.concord.event.Column;
import io.concord.event.TableRef;
import io.concord.replicator.types.PgTextCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The identity of a replicated row, the key of {@code concord.row_versions}: it must be identical in
 * every DC for the same row, since that is how a remote change finds the local state of its row.
 *
 * <p>{@code key} is a JSON array of the key columns' PostgreSQL text forms ({@link PgTextCodec#encode}),
 * in key-column order, NULL as JSON {@code null}: {@code ["42","x"]}. The text form is what every DC
 * reads from its WAL and what an event's Datums encode back to exactly, so it does not depend on who
 * decoded the row. The JSON is compact (no white space) and escapes only what JSON requires: {@code "},
 * {@code \} and control characters; everything else, {@code /} and non-ASCII included, is written as is.
 *
 * @param table the table, {@code schema.name} as the schema and table are named (unquoted)
 * @param key   the key columns' text forms as a canonical JSON array
 */
public record RowKey(String table, String key) {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .build();

    /** Checks the parts. */
    public RowKey {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(key, "key");
    }

    /**
     * The key of the row of {@code table} ({@code schema.name}) whose key columns hold these values.
     *
     * @throws IllegalArgumentException if there is no key column: every replicated table has a key
     */
    public static RowKey of(String table, List<Column> keyColumns) {
        return ofTexts(table, keyColumns.stream().map(column -> PgTextCodec.encode(column.getValue())).toList());
    }

    /**
     * The key of the row of {@code table} whose key columns' text forms are these (null for SQL NULL), as
     * PostgreSQL prints them ({@code column::text}).
     *
     * @throws IllegalArgumentException if there is no key column: every replicated table has a key
     */
    public static RowKey ofTexts(String table, List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a row of " + table + " needs at least one key column");
        }
        // Capture and apply build a key for every row they touch: the usual key needs no escaping, and a plain
        // StringBuilder writes it several times faster than a JSON generator; the generator writes the rest.
        StringBuilder plain = new StringBuilder(2 + 16 * texts.size()).append('[');
        for (String text : texts) {
            if (plain.length() > 1) {
                plain.append(',');
            }
            if (text == null) {
                plain.append("null");
            } else if (needsNoEscaping(text)) {
                plain.append('"').append(text).append('"');
            } else {
                return new RowKey(table, escaped(table, texts));
            }
        }
        return new RowKey(table, plain.append(']').toString());
    }

    private static boolean needsNoEscaping(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String escaped(String table, List<String> texts) {
        StringWriter out = new StringWriter(16 * texts.size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (String text : texts) {
                if (text == null) {
                    json.writeNull();
                } else {
                    json.writeString(text);
                }
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key of a row of " + table, e);
        }
        return out.toString();
    }

    /** The key of the row of {@code table} whose key columns hold these values. */
    public static RowKey of(TableRef table, List<Column> keyColumns) {
        return of(qualifiedName(table), keyColumns);
    }

    /** The last table's name, reused while events name the same table instances (apply makes them canonical). */
    private static volatile QualifiedName lastTable = new QualifiedName("", "", ".");

    private record QualifiedName(String schema, String name, String qualified) {
    }

    /**
     * {@code schema.name}: the same string instance for a run of events of one table, so that its hash is computed
     * once, not per row.
     */
    private static String qualifiedName(TableRef table) {
        QualifiedName last = lastTable;
        if (last.schema() == table.getSchema$() && last.name() == table.getName()) {
            return last.qualified();
        }
        QualifiedName next = new QualifiedName(table.getSchema$(), table.getName(),
                table.getSchema$() + "." + table.getName());
        lastTable = next;
        return next.qualified();
    }

    /** {@code table} directly followed by {@code key}, e.g. {@code public.orders["42","x"]}: stable, for logs and message keys. */
    @Override
    public String toString() {
        return table + key;
    }
}
