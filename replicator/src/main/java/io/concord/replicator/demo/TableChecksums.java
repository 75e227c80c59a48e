package io.concord.replicator.demo;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-table checksums of every DC: the md5 of all rows in key order, and the row count. */
final class TableChecksums {

    /** A table's checksum in one DC. */
    record Checksum(String md5, long rows) {
        String shortForm() {
            return (md5 == null ? "(empty)" : md5.substring(0, 12)) + " (" + rows + " rows)";
        }
    }

    private TableChecksums() {
    }

    /** table → dc → checksum. */
    static Map<String, Map<String, Checksum>> of(Map<String, PostgresServer> dcs, List<DemoSchema.DemoTable> tables)
            throws SQLException {
        Map<String, Map<String, Checksum>> all = new LinkedHashMap<>();
        for (DemoSchema.DemoTable table : tables) {
            Map<String, Checksum> byDc = new LinkedHashMap<>();
            for (Map.Entry<String, PostgresServer> dc : dcs.entrySet()) {
                try (Connection connection = dc.getValue().connect(); Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT md5(string_agg(t::text, ',' ORDER BY t."
                                + table.key() + ")), count(*) FROM " + table.name() + " t")) {
                    rs.next();
                    byDc.put(dc.getKey(), new Checksum(rs.getString(1), rs.getLong(2)));
                }
            }
            all.put(table.name(), byDc);
        }
        return all;
    }

    static boolean equalEverywhere(Map<String, Map<String, Checksum>> checksums) {
        return checksums.values().stream().allMatch(byDc -> byDc.values().stream().distinct().count() == 1);
    }

    /** The sum of all balances in one DC. */
    static long balances(PostgresServer dc) throws SQLException {
        try (Connection connection = dc.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT coalesce(sum(balance), 0) FROM accounts")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
