package io.concord.replicator.apply;

import java.util.EnumMap;
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
        private long last = System.nanoTime();

        void done(Phase phase) {
            long now = System.nanoTime();
            add(phase, now - last);
            last = now;
        }
    }
}
