package io.concord.replicator.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * When each row {@code 1..rows} became visible on {@code b}, in wall-clock microseconds (the clock PostgreSQL
 * stamps commits with: one machine, one clock).
 *
 * <p>Polls {@code b} every {@value #PERIOD_MICROS} µs for the rows not yet seen (by primary key, from the
 * lowest one missing, since rows may commit slightly out of id order), and gives each new row the time the
 * poll that found it returned. The row became visible after the previous poll's snapshot and before this one
 * returned, so the time is late by less than one poll cycle; the cycles are kept to report that resolution.
 */
final class LagProbe {

    static final long PERIOD_MICROS = 1_000;

    private final Db target;
    private final int rows;
    private final long[] visibleMicros;
    private final List<Double> cycleMillis = new ArrayList<>();
    private volatile long cpuNanos;

    LagProbe(Db target, int rows) {
        this.target = target;
        this.rows = rows;
        this.visibleMicros = new long[rows + 1];
    }

    /** Polls until every row is visible; fails after {@code timeout} from the call. */
    void awaitAll(Duration timeout) throws Exception {
        long cpuAtStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        try {
            poll(timeout);
        } finally {
            cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart;
        }
    }

    /** The CPU time {@link #awaitAll} took on its thread (the bench's own share, apart from the systems'). */
    long cpuNanos() {
        return cpuNanos;
    }

    private void poll(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        BitSet seen = new BitSet(rows + 1);
        long lowestMissing = 1;
        int count = 0;
        long previousEnd = 0;
        try (Connection connection = target.connect(); PreparedStatement poll = connection.prepareStatement(
                "SELECT id FROM items WHERE id >= ? AND id <= ?")) {
            poll.setLong(2, rows);
            while (count < rows) {
                long cycleStart = System.nanoTime();
                poll.setLong(1, lowestMissing);
                try (ResultSet rs = poll.executeQuery()) {
                    long now = micros(Instant.now());
                    while (rs.next()) {
                        int id = (int) rs.getLong(1);
                        if (!seen.get(id)) {
                            seen.set(id);
                            visibleMicros[id] = now;
                            count++;
                        }
                    }
                }
                long end = System.nanoTime();
                if (previousEnd != 0) {
                    cycleMillis.add((end - previousEnd) / 1e6);
                }
                previousEnd = end;
                lowestMissing = Math.max(lowestMissing, seen.nextClearBit((int) lowestMissing));
                if (end > deadline) {
                    throw new TimeoutException(count + " of " + rows + " rows visible on " + target + " after "
                            + timeout.toSeconds() + " s");
                }
                LockSupport.parkNanos(cycleStart + PERIOD_MICROS * 1_000 - System.nanoTime());
            }
        }
    }

    /** How many rows it watches (ids 1..rows). */
    int rows() {
        return rows;
    }

    /** Visible on {@code b} minus committed on {@code a}, per row, in milliseconds. */
    double[] lagsMillis(Db source) throws Exception {
        long[] committed = commitMicros(source);
        double[] lags = new double[rows];
        for (int id = 1; id <= rows; id++) {
            lags[id - 1] = (visibleMicros[id] - committed[id]) / 1000.0;
        }
        return lags;
    }

    /**
     * The lag of each row cut in two at {@code passedMicros} (by row id, e.g. when it was sent to Kafka): the
     * part before and the part after, in milliseconds, each sorted; rows without a time are left out.
     */
    double[][] lagSplitMillis(Db source, long[] passedMicros) throws Exception {
        long[] committed = commitMicros(source);
        double[] before = new double[rows];
        double[] after = new double[rows];
        int n = 0;
        for (int id = 1; id <= rows; id++) {
            if (passedMicros[id] > 0) {
                before[n] = (passedMicros[id] - committed[id]) / 1000.0;
                after[n++] = (visibleMicros[id] - passedMicros[id]) / 1000.0;
            }
        }
        before = Arrays.copyOf(before, n);
        after = Arrays.copyOf(after, n);
        Arrays.sort(before);
        Arrays.sort(after);
        return new double[][] {before, after};
    }

    /** The commit time on {@code a} of each row, in microseconds, by id. */
    private long[] commitMicros(Db source) throws Exception {
        long[] committed = new long[rows + 1];
        try (Connection connection = source.connect(); PreparedStatement commits = connection.prepareStatement(
                "SELECT id, (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint FROM items"
                        + " WHERE id >= 1 AND id <= ?")) {
            commits.setLong(1, rows);
            try (ResultSet rs = commits.executeQuery()) {
                int read = 0;
                while (rs.next()) {
                    committed[(int) rs.getLong(1)] = rs.getLong(2);
                    read++;
                }
                if (read != rows) {
                    throw new IllegalStateException("the source has " + read + " of the " + rows + " rows");
                }
            }
        }
        return committed;
    }

    /** Time between two polls' ends, in milliseconds: the resolution of a visibility time. */
    List<Double> cycleMillis() {
        return cycleMillis;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
