package io.concord.replicator.demo;

import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.embedded.PostgresServer;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The demo's live line: writes per second, events applied and lag per DC, conflicts so far. Redrawn in place on a
 * terminal; a new line every five seconds otherwise (a log, a test).
 */
final class DemoProgress {

    private final PrintWriter out;
    private final List<String> names;
    private final Map<String, PostgresServer> dcs;
    private final List<DcRuntime> runtimes;
    private final DemoWriter.DemoTally tally;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private long lastWrites;
    private long lastAt = System.nanoTime();
    private int ticks;

    DemoProgress(PrintWriter out, List<String> names, Map<String, PostgresServer> dcs, List<DcRuntime> runtimes,
            DemoWriter.DemoTally tally) {
        this.out = out;
        this.names = names;
        this.dcs = dcs;
        this.runtimes = runtimes;
        this.tally = tally;
    }

    void print() {
        ticks++;
        if (!terminal && ticks % 5 != 0) {
            return;
        }
        long now = System.nanoTime();
        long writes = tally.writes.get();
        double rate = (writes - lastWrites) / ((now - lastAt) / 1e9);
        lastWrites = writes;
        lastAt = now;
        StringBuilder line = new StringBuilder(String.format("%4ds  %,7d writes (%4.0f/s)  applied", (now - started)
                / 1_000_000_000L, writes, rate));
        for (int i = 0; i < names.size(); i++) {
            line.append(String.format(" %s %,d", names.get(i), runtimes.get(i).apply().metrics().applied()));
        }
        line.append("  lag");
        for (String dc : names) {
            line.append(' ').append(dc).append(' ').append(query(dc, "SELECT max(lag_millis) FROM concord.peer_status"))
                    .append(" ms");
        }
        line.append("  conflicts");
        for (String dc : names) {
            line.append(' ').append(dc).append(' ').append(query(dc, "SELECT count(*) FROM concord.conflicts"));
        }
        if (terminal) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    void finish() {
        if (terminal) {
            out.println();
        }
    }

    private String query(String dc, String sql) {
        try (Connection connection = dcs.get(dc).connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() && rs.getString(1) != null ? rs.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }
}
