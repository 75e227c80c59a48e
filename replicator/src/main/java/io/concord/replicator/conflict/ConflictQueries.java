package io.concord.replicator.conflict;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code concord.conflicts} for people: a filtered list, and one conflict whole. */
public final class ConflictQueries {

    /** The statuses a conflict can have. */
    public static final List<String> STATUSES = List.of("open", "resolved", "dismissed");

    /**
     * What to list.
     *
     * @param table  only this table ({@code schema.name}), or all
     * @param status only this status, or all
     * @param since  only conflicts detected this long ago or later, or all
     * @param limit  at most this many, newest first
     */
    public record Filter(Optional<String> table, Optional<String> status, Optional<Duration> since, int limit) {
    }

    /** One line of the list. */
    public record Summary(String id, OffsetDateTime detectedAt, String detectedIn, String table, String key,
            String type, String resolution, String status) {
    }

    private ConflictQueries() {
    }

    public static List<Summary> list(Connection connection, Filter filter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT id, detected_at, detected_in, table_name, primary_key::text, conflict_type, resolution, status
                  FROM concord.conflicts
                 WHERE (?::text IS NULL OR table_name = ?)
                   AND (?::text IS NULL OR status = ?)
                   AND (?::bigint IS NULL OR detected_at >= now() - ? * interval '1 millisecond')
                 ORDER BY detected_at DESC, id
                 LIMIT ?""")) {
            statement.setString(1, filter.table().orElse(null));
            statement.setString(2, filter.table().orElse(null));
            statement.setString(3, filter.status().orElse(null));
            statement.setString(4, filter.status().orElse(null));
            Long millis = filter.since().map(Duration::toMillis).orElse(null);
            statement.setObject(5, millis, java.sql.Types.BIGINT);
            statement.setObject(6, millis, java.sql.Types.BIGINT);
            statement.setInt(7, filter.limit());
            List<Summary> out = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    out.add(new Summary(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        }
    }

    /** The conflict as one JSON object (every column; rows and versions as JSON), or empty. */
    public static Optional<String> show(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT row_to_json(c)::text FROM concord.conflicts c WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The full id of the one conflict whose id starts with {@code prefix} (ids are long; people paste the start).
     *
     * @throws ConflictDecisionException when none or several match
     */
    public static String fullId(Connection connection, String prefix) throws SQLException, ConflictDecisionException {
        if (!prefix.matches("[0-9a-f]{4,32}")) {
            throw new ConflictDecisionException("'" + prefix + "' is not a conflict id (4 to 32 hex digits, as "
                    + "`concord conflicts list` prints them)");
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id FROM concord.conflicts WHERE id LIKE ? || '%' ORDER BY id LIMIT 2")) {
            statement.setString(1, prefix);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            if (ids.isEmpty()) {
                throw new ConflictDecisionException("no conflict " + prefix + " in this DC");
            }
            if (ids.size() > 1) {
                throw new ConflictDecisionException("several conflicts start with " + prefix + " (" + ids.get(0)
                        + ", " + ids.get(1) + ", ...): give more of the id");
            }
            return ids.get(0);
        }
    }
}
