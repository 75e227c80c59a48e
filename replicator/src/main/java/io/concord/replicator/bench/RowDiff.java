package io.concord.replicator.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Says how a target's {@code items} differ from its source's, when their checksums do not match. */
final class RowDiff {

    private static final int SHOWN = 3;

    private RowDiff() {
    }

    /** How many rows differ or are missing on either side, a few of them in full, and the target's dead letters. */
    static String describe(Db source, Db target) throws SQLException {
        Map<Long, String> sourceRows = rows(source);
        Map<Long, String> targetRows = rows(target);
        List<Long> differing = new ArrayList<>();
        sourceRows.forEach((id, row) -> {
            if (!row.equals(targetRows.get(id))) {
                differing.add(id);
            }
        });
        long extra = targetRows.keySet().stream().filter(id -> !sourceRows.containsKey(id)).count();
        StringBuilder out = new StringBuilder().append(differing.size()).append(" rows differ or are missing, ")
                .append(extra).append(" extra");
        differing.stream().sorted().limit(SHOWN).forEach(id -> out.append("; id ").append(id).append(": source ")
                .append(sourceRows.get(id)).append(", target ").append(targetRows.get(id)));
        String deadLetters = target.queryString("SELECT CASE WHEN to_regclass('concord.dead_letters') IS NULL"
                + " THEN 'none (no schema concord)' ELSE (SELECT count(*)::text FROM concord.dead_letters) END");
        return out.append("; dead letters on the target: ").append(deadLetters).toString();
    }

    private static Map<Long, String> rows(Db db) throws SQLException {
        Map<Long, String> rows = new HashMap<>();
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT id, t::text FROM items t")) {
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return rows;
    }
}
