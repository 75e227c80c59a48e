package io.concord.replicator.capture;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where capture's time goes: nanoseconds spent in each step of its batches, summed, and the steps of the slowest
 * batch since {@link #takeSlowest} was last called. A change waits for the batch before it and then for its own,
 * so the slowest batches are what the tail of the replication lag is made of; the sums say what capture spends
 * its time on. Read by the metrics endpoint and the benchmark.
 */
public final class CapturePhases {

    /** The steps of a batch, in the order they run. */
    public enum Phase {
        /** The batch's messages read from the walsender, from the first until the batch was full or none was pending. */
        READ,
        /** Changes decoded; the states of their rows gathered from the cache and, the rest, from PostgreSQL. */
        PREPARE,
        /** New versions computed; events built. */
        VERSION,
        /** Events encoded and handed to the Kafka producer (sent in the background). */
        SEND,
        /** Progress, states and dead letters written to PostgreSQL, in the batch's transaction. */
        SAVE,
        /** The Kafka transaction committed: every event acknowledged and the commit marker written. */
        KAFKA_COMMIT,
        /** The PostgreSQL transaction committed. */
        PG_COMMIT,
        /** The slot's position confirmed to the server. */
        CONFIRM
    }

    /** One batch: its changes and the nanoseconds of each step. */
    public record Batch(int changes, long[] nanos) {

        public long totalNanos() {
            long total = 0;
            for (long n : nanos) {
                total += n;
            }
            return total;
        }

        /** E.g. "812 ms for 300 changes: prepare 3 ms, ..., kafka_commit 790 ms, ...". */
        @Override
        public String toString() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.1f ms for %d changes:",
                    totalNanos() / 1e6, changes));
            for (Phase phase : Phase.values()) {
                line.append(phase.ordinal() == 0 ? " " : ", ").append(phase.name().toLowerCase(Locale.ROOT))
                        .append(String.format(Locale.ROOT, " %.1f ms", nanos[phase.ordinal()] / 1e6));
            }
            return line.toString();
        }
    }

    private final AtomicLongArray nanos = new AtomicLongArray(Phase.values().length);
    private Batch slowest;

    /** Adds a finished batch. */
    void batch(int changes, long[] phaseNanos) {
        for (int i = 0; i < phaseNanos.length; i++) {
            nanos.addAndGet(i, phaseNanos[i]);
        }
        Batch batch = new Batch(changes, phaseNanos.clone());
        synchronized (this) {
            if (slowest == null || batch.totalNanos() > slowest.totalNanos()) {
                slowest = batch;
            }
        }
    }

    /** Nanoseconds spent in {@code phase} so far. */
    public long nanos(Phase phase) {
        return nanos.get(phase.ordinal());
    }

    /** Every phase with its nanoseconds so far. */
    public Map<Phase, Long> snapshot() {
        Map<Phase, Long> snapshot = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            snapshot.put(phase, nanos(phase));
        }
        return snapshot;
    }

    /** The slowest batch since the last call (null if none), and starts looking for the next one. */
    public synchronized Batch takeSlowest() {
        Batch taken = slowest;
        slowest = null;
        return taken;
    }

    /** Times consecutive steps of one batch: each {@link #done} closes the step that ran since the last. */
    static final class Stopwatch {
        private final long[] nanos = new long[Phase.values().length];
        private long last;

        /** A stopwatch whose first step began at {@code startNanos} ({@link System#nanoTime}). */
        Stopwatch(long startNanos) {
            this.last = startNanos;
        }

        void done(Phase phase) {
            long now = System.nanoTime();
            nanos[phase.ordinal()] += now - last;
            last = now;
        }

        long[] nanos() {
            return nanos;
        }
    }
}
