package io.concord.replicator.apply;

import io.concord.replicator.metrics.StepTimes;

/**
 * Where apply's time goes: nanoseconds spent in each step of a batch, summed over every attempt of every batch, and
 * the slowest committed batch (its committing attempt). They tell an operator (and the benchmark) whether apply
 * waits for capture, for locks, for the disk or for itself.
 */
public final class ApplyPhases extends StepTimes<ApplyPhases.Phase> {

    /** The steps of a batch, in the order they run. */
    public enum Phase {
        /** The replication origin set for the transaction; events sorted into target rows. */
        PREPARE,
        /** Target rows locked; in a later part, also its wait for the part before it to commit (see BatchParts). */
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

    public ApplyPhases() {
        super(Phase.class, "events");
    }
}
