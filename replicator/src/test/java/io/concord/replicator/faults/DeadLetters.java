package io.concord.replicator.faults;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dead letters the run expects (those of hostile input, by DC and source position) and the check that
 * {@code concord.dead_letters} holds nothing else: valid input never becomes a dead letter.
 */
final class DeadLetters {

    /** One row of concord.dead_letters. */
    record Letter(String dc, long id, String errorClass, String reason, String topic, long offset, String table) {
        @Override
        public String toString() {
            String shown = reason.length() > 300 ? reason.substring(0, 300) + "... (" + reason.length() + " chars)"
                    : reason;
            return dc + "#" + id + " " + errorClass + " from " + topic + "@" + offset + ": " + shown;
        }
    }

    private final Set<String> expected = ConcurrentHashMap.newKeySet();

    /** Expects a dead letter in {@code dc} for the record at {@code topic@offset}. */
    void expect(String dc, String topic, long offset) {
        expected.add(dc + " " + topic + "@" + offset);
    }

    /** The dead letters of every DC that no hostile record explains. */
    List<String> unexpected(Map<String, List<Letter>> byDc) {
        List<String> violations = new ArrayList<>();
        byDc.values().forEach(letters -> letters.stream()
                .filter(l -> !expected.contains(l.dc() + " " + l.topic() + "@" + l.offset()))
                .limit(10).forEach(l -> violations.add("a dead letter no hostile input explains (valid input set"
                        + " aside?): " + l)));
        return violations;
    }

    static List<Letter> read(String dc, PostgresServer postgres) throws SQLException {
        List<Letter> letters = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, error_class, reason, source_topic, source_offset,"
                     + " table_name FROM concord.dead_letters ORDER BY id")) {
            while (rs.next()) {
                letters.add(new Letter(dc, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6)));
            }
        }
        return letters;
    }
}
