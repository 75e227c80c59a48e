package io.concord.replicator.capture;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of capture, read by status and the metrics endpoint. */
public final class CaptureMetrics {

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong truncatesIgnored = new AtomicLong();
    private volatile Lsn confirmed = Lsn.INVALID;

    void published(int events) {
        published.addAndGet(events);
    }

    void truncateIgnored() {
        truncatesIgnored.incrementAndGet();
    }

    void confirmed(Lsn lsn) {
        confirmed = lsn;
    }

    public long published() {
        return published.get();
    }

    public long truncatesIgnored() {
        return truncatesIgnored.get();
    }

    public Lsn confirmed() {
        return confirmed;
    }
}
