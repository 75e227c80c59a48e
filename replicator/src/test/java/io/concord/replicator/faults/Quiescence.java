package io.concord.replicator.faults;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Waits, once the load stopped and every fault healed, until the system is quiet and converged, and measures how
 * long that took. Quiet and converged means, all at once:
 * <ol>
 *   <li>every write the application committed is on its DC's changes topic (capture lost nothing);</li>
 *   <li>every DC's apply has passed the last event each peer published ({@code concord.apply_progress});</li>
 *   <li>every DC holds the same rows and row versions ({@link Fingerprints}).</li>
 * </ol>
 * The first alone could hold while a write is lost for good, the last alone while events are still in flight.
 */
final class Quiescence {

    private static final long POLL_MILLIS = 300;

    /** The outcome: whether it got there, how long it took, and if not, what was still missing. */
    record Outcome(boolean converged, Duration took, String missing) {
    }

    private final Function<String, PostgresServer> postgres;
    private final History history;
    private final PublishedVersions versions;
    private final String prefix;

    Quiescence(Function<String, PostgresServer> postgres, History history, PublishedVersions versions, String prefix) {
        this.postgres = postgres;
        this.history = history;
        this.versions = versions;
        this.prefix = prefix;
    }

    Outcome await(KeySpace keys, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String missing = "nothing checked yet";
        while (System.nanoTime() < deadline) {
            try {
                missing = missing(keys);
            } catch (SQLException | RuntimeException e) {
                missing = "not readable yet: " + e.getMessage();
            }
            if (missing == null) {
                return new Outcome(true, Duration.ofNanos(System.nanoTime() - start), null);
            }
            Thread.sleep(POLL_MILLIS);
        }
        return new Outcome(false, Duration.ofNanos(System.nanoTime() - start), missing);
    }

    /** What keeps the system from being quiet and converged, or null. */
    private String missing(KeySpace keys) throws SQLException {
        versions.refresh(Duration.ofSeconds(30));
        List<Write> unpublished = history.committed(keys).stream().filter(w -> versions.of(w) == null).toList();
        if (!unpublished.isEmpty()) {
            return unpublished.size() + " committed writes are not on their DC's topic, e.g. " + unpublished.get(0);
        }
        for (String dc : SuiteTable.DCS) {
            Map<String, Long> progress = applyProgress(dc);
            for (String peer : SuiteTable.DCS) {
                long last = versions.lastOwnEventOffset(peer);
                if (!peer.equals(dc) && last >= 0 && progress.getOrDefault(prefix + ".changes." + peer, 0L) <= last) {
                    return "DC " + dc + " has applied " + peer + "'s topic up to " + progress.get(prefix + ".changes."
                            + peer) + ", " + peer + " published up to offset " + last;
                }
            }
        }
        Map<String, Map<SuiteTable, String>> sums = new HashMap<>();
        for (String dc : SuiteTable.DCS) {
            sums.put(dc, Fingerprints.of(postgres.apply(dc), keys));
        }
        List<String> differ = new ArrayList<>();
        for (SuiteTable table : SuiteTable.values()) {
            if (SuiteTable.DCS.stream().map(dc -> sums.get(dc).get(table)).distinct().count() > 1) {
                differ.add(table.tableName());
            }
        }
        return differ.isEmpty() ? null : "the DCs differ in " + differ;
    }

    private Map<String, Long> applyProgress(String dc) throws SQLException {
        Map<String, Long> progress = new HashMap<>();
        try (Connection connection = postgres.apply(dc).connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT topic, next_offset FROM concord.apply_progress")) {
            while (rs.next()) {
                progress.put(rs.getString(1), rs.getLong(2));
            }
        }
        return progress;
    }
}
