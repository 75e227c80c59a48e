package io.concord.replicator.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.event.Column;
import io.concord.replicator.store.RowImages;
import io.concord.replicator.types.PgTextCodec;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.Conflict;
import io.concord.version.RowVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Records conflicts in {@code concord.conflicts}, in the apply transaction. A conflict's id is the same in
 * every DC, so the row is inserted once whatever DC or replay sees it again ({@code ON CONFLICT DO NOTHING}).
 *
 * <p>Rows are JSON objects column → the PostgreSQL text form of the value (as {@code psql} would show it),
 * or JSON {@code null} for SQL NULL; a deleted row is SQL NULL. Versions are
 * {@code {"vector": {dc: n}, "hlc": µs, "dc": writer}}.
 */
final class ConflictWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String INSERT = """
            INSERT INTO concord.conflicts (id, detected_in, table_name, primary_key, conflict_type, local_row,
                                           remote_row, local_version, remote_version, local_origin, remote_origin,
                                           resolver, resolution, applied_row)
            VALUES (?, ?, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (id) DO NOTHING""";

    private final String dc;

    ConflictWriter(String dc) {
        this.dc = dc;
    }

    /** Inserts the conflicts, each with the column types of its row. */
    void record(Connection connection, List<Map.Entry<Conflict, Map<String, String>>> conflicts) throws SQLException {
        if (conflicts.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (Map.Entry<Conflict, Map<String, String>> entry : conflicts) {
                Conflict conflict = entry.getKey();
                Map<String, String> types = entry.getValue();
                statement.setString(1, conflict.id());
                statement.setString(2, dc);
                statement.setString(3, conflict.table());
                statement.setString(4, row(conflict.key(), types));
                statement.setString(5, conflict.type().label());
                statement.setString(6, row(conflict.local(), types));
                statement.setString(7, row(conflict.remote(), types));
                statement.setString(8, version(conflict.local().version()));
                statement.setString(9, version(conflict.remote().version()));
                statement.setString(10, conflict.local().version().dc().value());
                statement.setString(11, conflict.remote().version().dc().value());
                statement.setString(12, conflict.resolver());
                statement.setString(13, conflict.resolution().label());
                statement.setString(14, row(conflict.applied(), types));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static final String INSERT_UNIQUE = """
            INSERT INTO concord.conflicts (id, detected_in, table_name, primary_key, conflict_type, local_row,
                                           remote_row, local_version, remote_version, local_origin, remote_origin,
                                           resolver, resolution, applied_row, note)
            VALUES (?, ?, ?, ?::jsonb, 'unique_violation', ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?,
                    'local_kept', ?::jsonb, ?)
            ON CONFLICT (id) DO NOTHING""";

    /**
     * Inserts unique violations: the local row stays (it is also the applied row), the incoming one waits in
     * the dead letters; the note says so, and names the constraint.
     */
    void recordUniqueViolations(Connection connection, Collection<UniqueViolation> violations) throws SQLException {
        if (violations.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_UNIQUE)) {
            for (UniqueViolation violation : violations) {
                statement.setString(1, violation.id());
                statement.setString(2, dc);
                statement.setString(3, violation.table());
                statement.setString(4, violation.key());
                statement.setString(5, violation.localRow());
                statement.setString(6, violation.incomingRow());
                statement.setString(7, violation.localVersion());
                statement.setString(8, violation.incomingVersion());
                statement.setString(9, violation.localOrigin());
                statement.setString(10, violation.incomingOrigin());
                statement.setString(11, violation.resolver());
                statement.setString(12, violation.localRow());
                statement.setString(13, "constraint " + violation.constraint() + " is held by the local row; the "
                        + "incoming row is a dead letter (concord dlq list): change or delete one of the two rows, "
                        + "then concord dlq retry or discard it");
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static String row(VersionedRow row, Map<String, String> types) {
        return row.isTombstone() ? null : row(row.row(), types);
    }

    /** The JSON object of an image: column → text form, or null for SQL NULL. */
    static String row(RowImage image, Map<String, String> types) {
        ObjectNode json = JSON.createObjectNode();
        for (Column column : RowImages.toColumns(image, types)) {
            String text = PgTextCodec.encode(column.getValue());
            if (text == null) {
                json.putNull(column.getName());
            } else {
                json.put(column.getName(), text);
            }
        }
        return json.toString();
    }

    static String version(RowVersion version) {
        ObjectNode json = JSON.createObjectNode();
        ObjectNode vector = json.putObject("vector");
        version.vector().toMap().forEach(vector::put);
        json.put("hlc", version.hlc());
        json.put("dc", version.dc().value());
        return json.toString();
    }
}
