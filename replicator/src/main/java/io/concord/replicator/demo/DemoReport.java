package io.concord.replicator.demo;

import io.concord.replicator.embedded.PostgresServer;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** What the demo prints at the end: checksums per table and DC, balances, conflicts, and how to query them. */
final class DemoReport {

    private final PrintWriter out;
    private final List<String> names;
    private final Map<String, PostgresServer> dcs;

    DemoReport(PrintWriter out, List<String> names, Map<String, PostgresServer> dcs) {
        this.out = out;
        this.names = names;
        this.dcs = dcs;
    }

    void print(boolean converged, double waited, long expectedBalances, DemoWriter.DemoTally tally)
            throws SQLException {
        out.println();
        out.println(converged ? String.format("CONVERGED: every DC holds the same rows (%.1f s after the writers stopped).", waited)
                : String.format("NOT CONVERGED within %.0f s: the DCs differ (see below).", waited));
        out.println();
        out.println("Table checksums (md5 of every row in key order):");
        StringBuilder header = new StringBuilder(String.format("  %-10s", "TABLE"));
        names.forEach(dc -> header.append(String.format("  %-28s", dc)));
        out.println(header.toString().stripTrailing());
        Map<String, Map<String, TableChecksums.Checksum>> checksums = TableChecksums.of(dcs, DemoSchema.tables(names));
        checksums.forEach((table, byDc) -> {
            StringBuilder line = new StringBuilder(String.format("  %-10s", table));
            byDc.values().forEach(sum -> line.append(String.format("  %-28s", sum.shortForm())));
            boolean same = byDc.values().stream().distinct().count() == 1;
            out.println(line.toString().stripTrailing() + (same ? "  equal" : "  DIFFERENT"));
        });
        out.println();
        out.printf("Balances (merge, counter): %,d opening + %,d in committed deltas = %,d expected;", DemoSchema
                .OPENING_BALANCE * DemoSchema.ACCOUNTS, tally.balanceDeltas.get(), expectedBalances);
        for (String dc : names) {
            out.printf(" %s %,d", dc, TableChecksums.balances(dcs.get(dc)));
        }
        out.println();
        out.println();
        String first = names.get(0);
        out.println("Conflicts recorded in " + first + " (every DC records the ones it detects, under the same ids):");
        try (Connection connection = dcs.get(first).connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT table_name, conflict_type, count(*),
                               string_agg(DISTINCT resolution, ', ' ORDER BY resolution)
                          FROM concord.conflicts GROUP BY 1, 2 ORDER BY 1, 2""")) {
            out.printf("  %-18s %-15s %6s  %s%n", "TABLE", "TYPE", "COUNT", "RESOLUTIONS");
            while (rs.next()) {
                out.printf("  %-18s %-15s %6d  %s%n", rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4));
            }
        }
        out.println();
        out.println("Query them with SQL in any DC:");
        out.println("  SELECT table_name, conflict_type, count(*) FROM concord.conflicts GROUP BY 1, 2;");
        out.println("  SELECT id, primary_key, local_row, remote_row, applied_row FROM concord.open_conflicts");
        out.println("   WHERE table_name = 'public.orders' AND detected_at > now() - interval '1 hour';");
        out.println("or with the CLI (run the demo with --keep-running to try it on these servers):");
        out.println("  ./concord conflicts list -c <dc>.yaml --table orders");
        out.println("  ./concord conflicts resolve -c <dc>.yaml ID --keep local");
        out.flush();
    }
}
