package io.concord.replicator.apply;

import io.concord.replicator.store.TableColumns;
import io.concord.resolver.state.Reconciler;
import java.util.List;
import java.util.Map;

/**
 * A replicated table as apply writes it: its key, its columns with their types as the catalog has them
 * now, and the reconciler that settles its rows. Identifiers come from validated config and the catalog
 * and are only ever used quoted. A unique index of exactly the key's columns holds every key at most once
 * ({@code ApplyTables} admits no table without one): {@code ON CONFLICT} on the key infers it, and a plain insert of
 * a key that has a row fails.
 *
 * @param qualifiedName {@code schema.name}, unquoted, as events and row states name it
 * @param quotedName    {@code "schema"."name"}, for SQL
 * @param keyColumns    the key columns (primary key or configured key), in key order
 * @param columnTypes   column name → {@code pg_type.typname}, every column of the table
 * @param castTypes     column name → the schema-qualified, quoted type to cast parameters to
 * @param reconciler    the table's state machine with its configured resolver
 * @param copyable      whether new rows may go in with {@code COPY}: the table has no rules, which an {@code INSERT}
 *                      fires and {@code COPY} does not (triggers fire for both)
 */
record ApplyTable(String qualifiedName, String quotedName, List<String> keyColumns, Map<String, String> columnTypes,
        Map<String, String> castTypes, Reconciler reconciler, boolean copyable) {

    ApplyTable {
        keyColumns = List.copyOf(keyColumns);
        columnTypes = Map.copyOf(columnTypes);
        castTypes = Map.copyOf(castTypes);
    }

    /** A quoted SQL identifier. */
    static String quote(String identifier) {
        return TableColumns.quote(identifier);
    }

    /** {@code ?::type} for a parameter bound to {@code column}. */
    String parameter(String column) {
        return "?::" + castTypes.get(column);
    }
}
