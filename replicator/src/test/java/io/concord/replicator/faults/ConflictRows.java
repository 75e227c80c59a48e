package io.concord.replicator.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The rows of {@code concord.conflicts} one DC recorded for a scenario's keys. */
final class ConflictRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One conflict row, with its versions parsed. */
    record Conflict(String detectedIn, String id, SuiteTable table, long key, String type, Version local,
                    Version remote, boolean remoteDeleted, String resolution) {
        @Override
        public String toString() {
            return id + " in " + detectedIn + " " + type + " local " + local + " remote " + remote + " -> " + resolution;
        }
    }

    private ConflictRows() {
    }

    static List<Conflict> read(String dc, PostgresServer postgres, KeySpace keys) throws SQLException {
        List<Conflict> conflicts = new ArrayList<>();
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT detected_in, id, table_name, primary_key::text, conflict_type, local_version::text,
                            remote_version::text, remote_row IS NULL, resolution
                       FROM concord.conflicts
                      WHERE (primary_key->>'id')::int8 >= ? AND (primary_key->>'id')::int8 < ?""")) {
            statement.setLong(1, keys.from());
            statement.setLong(2, keys.to());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    SuiteTable table = SuiteTable.ofQualified(rs.getString(3));
                    if (table == null) {
                        continue;
                    }
                    conflicts.add(new Conflict(rs.getString(1), rs.getString(2), table, keyOf(rs.getString(4)),
                            rs.getString(5), Version.ofConflictJson(rs.getString(6)),
                            Version.ofConflictJson(rs.getString(7)), rs.getBoolean(8), rs.getString(9)));
                }
            }
        }
        return conflicts;
    }

    private static long keyOf(String primaryKey) {
        try {
            return Long.parseLong(JSON.readTree(primaryKey).get("id").asText());
        } catch (Exception e) {
            throw new IllegalArgumentException("not a primary key of the suite's tables: " + primaryKey, e);
        }
    }
}
