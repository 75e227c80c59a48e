package io.concord.replicator.apply;

import io.concord.event.Column;
import io.concord.replicator.store.CopyRows;
import io.concord.replicator.store.RowImages;
import io.concord.replicator.types.DatumBinder;
import io.concord.replicator.types.PgTextCodec;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The statements on user tables: locking a batch's rows, and writing the rows it decided. Values are
 * always bound as parameters (typed, {@link DatumBinder} and {@code ?::type}, or as text arrays cast to the
 * column types); identifiers come from config and the catalog, quoted. Rows of one table and shape are inserted in one statement (unnested arrays); deletes,
 * and rows written one by one to find a refused one, go statement by statement in one JDBC batch.
 */
final class UserRows {

    /** Rows per bulk insert, to bound its parameter arrays. */
    private static final int ROWS_PER_WRITE = 5_000;

    /** Keys per locking statement, to bound its parameter arrays. */
    private static final int KEYS_PER_LOCK = 5_000;

    /** Shapes of statements remembered; a table has few (its column sets), this only bounds a pathological one. */
    private static final int STATEMENTS_REMEMBERED = 1_000;

    /** What a row's statement depends on: it is built once per shape, not once per row. */
    private record Shape(ApplyTable table, boolean delete, Set<String> columns, boolean locked) {
    }

    private final Map<Shape, String> statements = new HashMap<>();
    /** The shape and statement of the row before, which the next row of a batch nearly always shares. */
    private Shape lastShape;
    private List<String> lastColumns = List.of();
    private String lastSql;

    /**
     * Locks the rows of {@code targets} (all of one table) that exist, in key order ({@code FOR UPDATE}),
     * and marks them locked. A row that does not exist cannot be locked and stays unmarked.
     */
    void lock(Connection connection, ApplyTable table, List<Target> targets) throws SQLException {
        String sql = lockThroughTheKeyIndex(table);
        for (int from = 0; from < targets.size(); from += KEYS_PER_LOCK) {
            List<Target> chunk = targets.subList(from, Math.min(targets.size(), from + KEYS_PER_LOCK));
            lockChunk(connection, sql, table.keyColumns(), chunk);
        }
    }

    /**
     * The keys sorted, then each row found through the key's unique index and locked: a {@code LATERAL} subquery,
     * which the planner cannot turn into a hash join over the whole table, as it did for thousands of keys (see
     * {@code RowStateStore}'s {@code SELECT}: 48 against 13 ms for 5,000 keys of a 100,000-row table). The nested
     * loop keeps the sorted order, so rows are locked in key order.
     */
    private static String lockThroughTheKeyIndex(ApplyTable table) {
        List<String> keys = table.keyColumns();
        StringBuilder sql = new StringBuilder("SELECT k.n FROM (SELECT * FROM ").append(keyArrays(keys.size()))
                .append(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("k.c").append(i).append("::")
                    .append(table.castTypes().get(keys.get(i)));
        }
        sql.append(") k CROSS JOIN LATERAL (SELECT 1 FROM ").append(table.quotedName()).append(" t WHERE ")
                .append(keyMatch(table)).append(" FOR UPDATE) t");
        return sql.toString();
    }

    /** {@code unnest(?::text[], ...) WITH ORDINALITY AS k(c0, ..., n)}: the keys' columns, as text. */
    private static String keyArrays(int columns) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < columns; i++) {
            sql.append(i == 0 ? "" : ", ").append("?::text[]");
        }
        sql.append(") WITH ORDINALITY AS k(");
        for (int i = 0; i < columns; i++) {
            sql.append("c").append(i).append(", ");
        }
        return sql.append("n)").toString();
    }

    private static String keyMatch(ApplyTable table) {
        List<String> keys = table.keyColumns();
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append("t.").append(ApplyTable.quote(keys.get(i)))
                    .append(" = k.c").append(i).append("::").append(table.castTypes().get(keys.get(i)));
        }
        return sql.toString();
    }

    private static void lockChunk(Connection connection, String sql, List<String> keys, List<Target> chunk)
            throws SQLException {
        List<Array> arrays = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int c = 0; c < keys.size(); c++) {
                String[] texts = new String[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    texts[i] = PgTextCodec.encode(keyValue(chunk.get(i), keys.get(c)).getValue());
                }
                Array array = connection.createArrayOf("text", texts);
                arrays.add(array);
                statement.setArray(c + 1, array);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    chunk.get((int) rows.getLong(1) - 1).locked = true;
                }
            }
        } finally {
            for (Array array : arrays) {
                array.free();
            }
        }
    }

    private static Column keyValue(Target target, String column) {
        for (Column key : target.keyColumns) {
            if (key.getName().equals(column)) {
                return key;
            }
        }
        throw new IllegalArgumentException("the event's key of " + target.key + " has no column '" + column
                + "', a key column of " + target.table.qualifiedName() + " here");
    }

    /**
     * Writes the decided rows of {@code targets}: a live row is upserted when its row was locked, inserted
     * when it was not, never over a row whose version was not compared (many rows at once: a plain insert, which
     * fails with a unique violation; one by one: {@code ON CONFLICT DO NOTHING}); a tombstone deletes a locked row.
     * Returns the targets whose insert found a row that appeared since the lock: they must go through the lock and
     * compare again.
     *
     * @param oneByOne execute statement by statement, so that a failure names its row ({@link RowFailure})
     */
    List<Target> write(Connection connection, List<Target> targets, boolean oneByOne) throws SQLException, RowFailure {
        Map<String, List<Target>> byStatement = new LinkedHashMap<>();
        for (Target target : targets) {
            VersionedRow current = target.state.current();
            if (current.isTombstone() && !target.locked) {
                continue; // nothing there to delete
            }
            byStatement.computeIfAbsent(statementFor(target, current), s -> new ArrayList<>()).add(target);
        }
        List<Target> raced = new ArrayList<>();
        for (Map.Entry<String, List<Target>> group : byStatement.entrySet()) {
            if (!oneByOne && !group.getValue().get(0).state.current().isTombstone()) {
                raced.addAll(writeAtOnce(connection, group.getValue()));
                continue;
            }
            try (PreparedStatement statement = connection.prepareStatement(group.getKey())) {
                for (Target target : group.getValue()) {
                    bind(statement, target);
                    if (oneByOne) {
                        int count;
                        try {
                            count = statement.executeUpdate();
                        } catch (SQLException e) {
                            throw new RowFailure(target, e);
                        }
                        if (count == 0 && !target.locked) {
                            raced.add(target);
                        }
                    } else {
                        statement.addBatch();
                    }
                }
                if (!oneByOne) {
                    int[] counts = statement.executeBatch();
                    for (int i = 0; i < counts.length; i++) {
                        Target target = group.getValue().get(i);
                        if (counts[i] == 0 && !target.locked) {
                            raced.add(target);
                        }
                    }
                }
            }
        }
        return raced;
    }

    /**
     * Inserts or upserts rows of one table and one set of columns in one statement, whatever their number:
     * each column's values go as one text array that the server unnests and casts to the column's type (the
     * text forms are PostgreSQL's own, {@link PgTextCodec#encode}), rows up to {@value #ROWS_PER_WRITE} per
     * statement. A statement per row costs the server a parse, bind and execute each; this, one.
     *
     * @return the targets of a statement that inserted fewer rows than it was given: a row not locked here
     *     was inserted since it was looked for (which one does not matter: the batch starts over)
     */
    private static List<Target> writeAtOnce(Connection connection, List<Target> group) throws SQLException {
        List<Target> raced = new ArrayList<>();
        for (int from = 0; from < group.size(); from += ROWS_PER_WRITE) {
            List<Target> chunk = group.subList(from, Math.min(group.size(), from + ROWS_PER_WRITE));
            Target first = chunk.get(0);
            List<String> columns = new ArrayList<>(first.state.current().row().columns());
            String[][] values = new String[columns.size()][chunk.size()];
            for (int row = 0; row < chunk.size(); row++) {
                Target target = chunk.get(row);
                List<Column> bound = RowImages.toColumns(target.state.current().row(), target.types());
                for (int column = 0; column < bound.size(); column++) {
                    values[column][row] = PgTextCodec.encode(bound.get(column).getValue());
                }
            }
            if (!first.locked && chunk.size() >= CopyRows.FEWEST_ROWS && first.table.copyable()) {
                copy(connection, first.table, columns, values, chunk.size());
                continue;
            }
            String sql = bulkSql(first, columns);
            // A key-only table's locked row is left as it is by DO NOTHING (nothing to update); every other row of a
            // statement is written, or the statement fails.
            long expected = sql.endsWith("DO NOTHING") ? 0 : chunk.size();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                List<Array> arrays = new ArrayList<>(columns.size());
                try {
                    for (int column = 0; column < columns.size(); column++) {
                        Array array = connection.createArrayOf("text", values[column]);
                        arrays.add(array);
                        statement.setArray(column + 1, array);
                    }
                    int count = statement.executeUpdate();
                    if (count < expected) {
                        raced.addAll(chunk);
                    }
                } finally {
                    for (Array array : arrays) {
                        array.free();
                    }
                }
            }
        }
        return raced;
    }

    /**
     * Rows not locked (not there when looked for), {@value CopyRows#FEWEST_ROWS} or more of them, of a table without
     * rules, inserted with {@code COPY}, which inserts as a plain insert does: a key inserted here since it was looked
     * for fails it with a unique violation, and the batch goes one row at a time (see apply's doc). The server reads
     * each value with its column type's input function, as the cast from text of {@link #bulkSql} does.
     */
    private static void copy(Connection connection, ApplyTable table, List<String> columns, String[][] values,
            int rows) throws SQLException {
        CopyRows copy = new CopyRows(connection, table.quotedName(),
                columns.stream().map(ApplyTable::quote).collect(Collectors.joining(", ")));
        try {
            for (int row = 0; row < rows; row++) {
                for (String[] column : values) {
                    copy.text(column[row]);
                }
                copy.endRow();
            }
            copy.finish();
        } finally {
            copy.cancelIfActive();
        }
    }

    /**
     * {@code INSERT ... SELECT} from unnested text arrays, one per column, each cast to its column's type: a plain
     * insert for rows not locked (not there when looked for), {@code DO UPDATE} for locked rows ({@code DO NOTHING}
     * where only key columns are written).
     */
    private static String bulkSql(Target target, List<String> columns) {
        ApplyTable table = target.table;
        List<String> keys = table.keyColumns();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table.quotedName()).append(" (")
                .append(columns.stream().map(ApplyTable::quote).collect(Collectors.joining(", ")))
                .append(") SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("u.c").append(i).append("::")
                    .append(table.castTypes().get(columns.get(i)));
        }
        sql.append(" FROM unnest(");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("?::text[]");
        }
        sql.append(") AS u(");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('c').append(i);
        }
        sql.append(")");
        if (!target.locked) {
            // No ON CONFLICT: a plain insert costs the server about 40% less (no speculative insertion: 1,000-row
            // statements of new keys, psql). A key inserted here since it was looked for fails the statement with a
            // unique violation; the batch then goes one row at a time, whose DO NOTHING finds it (see apply's doc).
            return sql.toString();
        }
        sql.append(" ON CONFLICT (").append(keys.stream().map(ApplyTable::quote).collect(Collectors.joining(", ")))
                .append(") DO ");
        List<String> updated = columns.stream().filter(c -> !keys.contains(c)).toList();
        if (updated.isEmpty()) {
            return sql.append("NOTHING").toString();
        }
        return sql.append("UPDATE SET ").append(updated.stream()
                .map(c -> ApplyTable.quote(c) + " = EXCLUDED." + ApplyTable.quote(c))
                .collect(Collectors.joining(", "))).toString();
    }

    /** Whether any of these targets, none of them locked, has a row now (one committed since it was looked for). */
    boolean appearedUnlocked(Connection connection, List<Target> targets) throws SQLException {
        for (Target target : targets) {
            ApplyTable table = target.table;
            String sql = "SELECT 1 FROM " + table.quotedName() + " WHERE " + table.keyColumns().stream()
                    .map(k -> ApplyTable.quote(k) + " = " + table.parameter(k)).collect(Collectors.joining(" AND "));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                Map<String, Column> byName = new LinkedHashMap<>();
                RowImages.toColumns(target.keyImage, target.types()).forEach(c -> byName.put(c.getName(), c));
                int index = 1;
                for (String key : table.keyColumns()) {
                    DatumBinder.bind(statement, index++, byName.get(key).getValue());
                }
                try (java.sql.ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private String statementFor(Target target, VersionedRow current) {
        Set<String> columns = current.isTombstone() ? Set.of() : current.row().columns();
        if (lastShape != null && lastShape.table() == target.table && lastShape.delete() == current.isTombstone()
                && lastShape.locked() == target.locked && sameInOrder(lastColumns, columns)) {
            return lastSql; // no hash of the column set per row (it was 4% of the apply worker)
        }
        String sql = statementOf(target, current);
        lastShape = new Shape(target.table, current.isTombstone(), Set.copyOf(columns), target.locked);
        lastColumns = List.copyOf(columns);
        lastSql = sql;
        return sql;
    }

    /** Whether {@code columns}, iterated, are {@code names} (the same instances as a rule: names are canonical). */
    private static boolean sameInOrder(List<String> names, Set<String> columns) {
        if (names.size() != columns.size()) {
            return false;
        }
        int i = 0;
        for (String column : columns) {
            String name = names.get(i++);
            if (name != column && !name.equals(column)) {
                return false;
            }
        }
        return true;
    }

    private String statementOf(Target target, VersionedRow current) {
        Shape shape = new Shape(target.table, current.isTombstone(), current.isTombstone() ? Set.of()
                : current.row().columns(), target.locked);
        String sql = statements.get(shape);
        if (sql == null) {
            if (statements.size() >= STATEMENTS_REMEMBERED) {
                statements.clear();
            }
            sql = sql(target, current);
            statements.put(new Shape(shape.table(), shape.delete(), Set.copyOf(shape.columns()), shape.locked()), sql);
        }
        return sql;
    }

    private static String sql(Target target, VersionedRow current) {
        ApplyTable table = target.table;
        List<String> keys = table.keyColumns();
        if (current.isTombstone()) {
            return "DELETE FROM " + table.quotedName() + " WHERE " + keys.stream()
                    .map(k -> ApplyTable.quote(k) + " = " + table.parameter(k)).collect(Collectors.joining(" AND "));
        }
        List<String> columns = new ArrayList<>(current.row().columns());
        String insert = "INSERT INTO " + table.quotedName() + " ("
                + columns.stream().map(ApplyTable::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                + columns.stream().map(table::parameter).collect(Collectors.joining(", ")) + ") ON CONFLICT ("
                + keys.stream().map(ApplyTable::quote).collect(Collectors.joining(", ")) + ") DO ";
        List<String> updated = columns.stream().filter(c -> !keys.contains(c)).toList();
        if (!target.locked || updated.isEmpty()) {
            return insert + "NOTHING";
        }
        return insert + "UPDATE SET " + updated.stream().map(c -> ApplyTable.quote(c) + " = EXCLUDED." + ApplyTable.quote(c))
                .collect(Collectors.joining(", "));
    }

    private static void bind(PreparedStatement statement, Target target) throws SQLException {
        VersionedRow current = target.state.current();
        RowImage image = current.isTombstone() ? target.keyImage : current.row();
        List<Column> columns = RowImages.toColumns(image, target.types());
        if (current.isTombstone()) {
            // The DELETE's parameters are the key columns in key order.
            Map<String, Column> byName = new LinkedHashMap<>();
            columns.forEach(c -> byName.put(c.getName(), c));
            int index = 1;
            for (String key : target.table.keyColumns()) {
                DatumBinder.bind(statement, index++, byName.get(key).getValue());
            }
            return;
        }
        int index = 1;
        for (Column column : columns) {
            DatumBinder.bind(statement, index++, column.getValue());
        }
    }

    /** A statement on one row failed; the batch goes on without that row. */
    static final class RowFailure extends Exception {
        final transient Target target;

        RowFailure(Target target, SQLException cause) {
            super(cause.getMessage(), cause);
            this.target = target;
        }

        SQLException sqlException() {
            return (SQLException) getCause();
        }
    }
}
