package io.concord.replicator.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one DC holds for a scenario's keys once it is quiet: the user rows, and each row's version in
 * {@code concord.row_versions} (tombstones included).
 *
 * @param dc       the DC
 * @param rows     table → id → row
 * @param versions table → id → stored version
 */
record Snapshot(String dc, Map<SuiteTable, Map<Long, Row>> rows, Map<SuiteTable, Map<Long, Stored>> versions) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user row: the text column and the number column. */
    record Row(String text, long number) {
        @Override
        public String toString() {
            return "(" + text + ", " + number + ")";
        }
    }

    /** A row's entry in concord.row_versions. */
    record Stored(Version version, boolean deleted) {
        @Override
        public String toString() {
            return version + (deleted ? " deleted" : "");
        }
    }

    static Snapshot read(String dc, PostgresServer postgres, KeySpace keys) throws SQLException {
        Map<SuiteTable, Map<Long, Row>> rows = new EnumMap<>(SuiteTable.class);
        Map<SuiteTable, Map<Long, Stored>> versions = new EnumMap<>(SuiteTable.class);
        try (Connection connection = postgres.connect()) {
            // One snapshot for all the reads, so that rows and versions agree with each other.
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            for (SuiteTable table : SuiteTable.values()) {
                rows.put(table, rows(connection, table, keys));
                versions.put(table, versions(connection, table, keys));
            }
            connection.commit();
        }
        return new Snapshot(dc, rows, versions);
    }

    private static Map<Long, Row> rows(Connection connection, SuiteTable table, KeySpace keys) throws SQLException {
        Map<Long, Row> rows = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, " + table.textColumn() + ", "
                + table.numberColumn() + " FROM " + table.tableName() + " WHERE id >= ? AND id < ?")) {
            statement.setLong(1, keys.from());
            statement.setLong(2, keys.to());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new Row(rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return rows;
    }

    private static Map<Long, Stored> versions(Connection connection, SuiteTable table, KeySpace keys)
            throws SQLException {
        Map<Long, Stored> versions = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT row_key, vector::text, hlc, dc, deleted FROM concord.row_versions
                 WHERE table_name = ? AND (row_key::jsonb->>0)::int8 >= ? AND (row_key::jsonb->>0)::int8 < ?""")) {
            statement.setString(1, table.qualified());
            statement.setLong(2, keys.from());
            statement.setLong(3, keys.to());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long id = idOfRowKey(rs.getString(1));
                    versions.put(id, new Stored(Version.of(rs.getString(2), rs.getLong(3), rs.getString(4)),
                            rs.getBoolean(5)));
                }
            }
        }
        return versions;
    }

    /** The id in a row_key such as {@code ["42"]}. */
    static long idOfRowKey(String rowKey) {
        try {
            return Long.parseLong(JSON.readTree(rowKey).get(0).asText());
        } catch (Exception e) {
            throw new IllegalArgumentException("not a row key of the suite's tables: " + rowKey, e);
        }
    }
}
