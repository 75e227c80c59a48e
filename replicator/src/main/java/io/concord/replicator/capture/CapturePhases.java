package io.concord.replicator.capture;

import io.concord.replicator.metrics.StepTimes;

/**
 * Where capture's time goes: nanoseconds spent in each step of its batches, summed, and the slowest batch. A change
 * waits for the batch before it and then for its own, so the slowest batches are what the tail of the replication
 * lag is made of.
 */
public final class CapturePhases extends StepTimes<CapturePhases.Phase> {

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

    public CapturePhases() {
        super(Phase.class, "changes");
    }
}
