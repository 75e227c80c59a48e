package io.concord.replicator.bench;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The bench's thread pools: named {@code bench-*}, so that {@link CoreWaits} tells the bench's own threads apart. */
final class Threads {

    private Threads() {
    }

    /** Threads named {@code prefix} and a number from 1. */
    static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return work -> new Thread(work, prefix + count.incrementAndGet());
    }
}
