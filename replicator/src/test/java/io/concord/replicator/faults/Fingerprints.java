package io.concord.replicator.faults;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checksums of a scenario's rows in one DC, per table: of the user rows, and of their versions in
 * {@code concord.row_versions}. Equal checksums in every DC is what converged means; cheap enough to poll.
 */
final class Fingerprints {

    private Fingerprints() {
    }

    /** {@code table → "rows-md5/versions-md5"}, in table order. */
    static Map<SuiteTable, String> of(PostgresServer postgres, KeySpace keys) throws SQLException {
        Map<SuiteTable, String> sums = new LinkedHashMap<>();
        try (Connection connection = postgres.connect()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            for (SuiteTable table : SuiteTable.values()) {
                String rows = one(connection, "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY id), ''))"
                        + " FROM " + table.tableName() + " t WHERE id >= ? AND id < ?", null, keys);
                String versions = one(connection, """
                        SELECT md5(coalesce(string_agg(row_key || vector::text || hlc || dc || deleted, ','
                                                       ORDER BY row_key), ''))
                          FROM concord.row_versions
                         WHERE table_name = ? AND (row_key::jsonb->>0)::int8 >= ? AND (row_key::jsonb->>0)::int8 < ?""",
                        table.qualified(), keys);
                sums.put(table, rows + "/" + versions);
            }
            connection.commit();
        }
        return sums;
    }

    private static String one(Connection connection, String sql, String table, KeySpace keys) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            if (table != null) {
                statement.setString(i++, table);
            }
            statement.setLong(i++, keys.from());
            statement.setLong(i, keys.to());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
