package io.concord.replicator.apply;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where apply's time goes: nanoseconds spent in each step of a batch, summed over every attempt of every
 * batch. They tell an operator (and the benchmark) whether apply waits for capture, for locks, for the disk
 * or for itself.
 */
public final class ApplyPhases {

    /** The steps of a batch, in the order they run. */
    public enum Phase {
        /** The replication origin set for the transaction; events sorted into target rows. */
        PREPARE,
        /** Target rows locked. */
        LOCK,
        /** Waiting until capture has recorded every local commit before the lock. */
        CAPTURE_WAIT,
        /** Stored row states read. */
        LOAD,
        /** Events taken in by the tables' reconcilers (resolvers). */
        RECONCILE,
        /** User rows written. */
        WRITE,
        /** Conflicts and dead letters written. */
        RECORD,
        /** The settled states (and events to forward) handed to capture, and the position written. */
        EMIT,
        /** The local commit. */
        COMMIT
    }

    private final AtomicLongArray nanos = new AtomicLongArray(Phase.values().length);
    private Batch slowest;

    /** One committed batch: its events and the nanoseconds of each step of the attempt that committed. */
    public record Batch(int events, long[] nanos) {

        public long totalNanos() {
            long total = 0;
            for (long n : nanos) {
                total += n;
            }
            return total;
        }

        /** E.g. "212.0 ms for 60 events: prepare 0.1 ms, lock 0.3 ms, ...". */
        @Override
        public String toString() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.1f ms for %d events:",
                    totalNanos() / 1e6, events));
            for (Phase phase : Phase.values()) {
                line.append(phase.ordinal() == 0 ? " " : ", ").append(phase.name().toLowerCase(Locale.ROOT))
                        .append(String.format(Locale.ROOT, " %.1f ms", nanos[phase.ordinal()] / 1e6));
            }
            return line.toString();
        }
    }

    /** The slowest committed batch since the last call (null if none), and starts looking for the next one. */
    public synchronized Batch takeSlowest() {
        Batch taken = slowest;
        slowest = null;
        return taken;
    }

    private synchronized void committed(Batch batch) {
        if (slowest == null || batch.totalNanos() > slowest.totalNanos()) {
            slowest = batch;
        }
    }

    void add(Phase phase, long elapsedNanos) {
        nanos.addAndGet(phase.ordinal(), elapsedNanos);
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

    /** Times consecutive phases of one attempt: each {@link #done} closes the phase that ran since the last. */
    final class Stopwatch {
        private final long[] own = new long[Phase.values().length];
        private long last = System.nanoTime();

        void done(Phase phase) {
            long now = System.nanoTime();
            add(phase, now - last);
            own[phase.ordinal()] += now - last;
            last = now;
        }

        /** The attempt timed committed a batch of {@code events}: a candidate for the slowest. */
        void committed(int events) {
            ApplyPhases.this.committed(new Batch(events, own.clone()));
        }
    }
}
