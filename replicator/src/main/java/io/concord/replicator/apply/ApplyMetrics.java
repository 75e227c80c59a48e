package io.concord.replicator.apply;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one DC's apply topology, read by tests and (later) the metrics endpoint. */
public final class ApplyMetrics {

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong loopsDropped = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    void batch(BatchApplier.Outcome outcome) {
        batches.incrementAndGet();
        applied.addAndGet(outcome.applied());
        conflicts.addAndGet(outcome.conflicts());
        deadLetters.addAndGet(outcome.deadLetters());
    }

    void loopDropped() {
        loopsDropped.incrementAndGet();
    }

    void deadLetters(int count) {
        deadLetters.addAndGet(count);
    }

    void retry() {
        retries.incrementAndGet();
    }

    /** Local transactions committed by the appliers. */
    public long batches() {
        return batches.get();
    }

    /** Events that changed a row's state. */
    public long applied() {
        return applied.get();
    }

    public long conflicts() {
        return conflicts.get();
    }

    /** Events of this DC's own origin that came back around (a loop), dropped. */
    public long loopsDropped() {
        return loopsDropped.get();
    }

    /** Records set aside: undecodable, refused by the database, or in a batch that failed for good. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** Batches tried again after a retryable failure. */
    public long retries() {
        return retries.get();
    }
}
