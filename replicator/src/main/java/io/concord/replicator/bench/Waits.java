package io.concord.replicator.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Polling for a condition with a deadline, for the bench's set-up steps (not for its timed measurements). */
final class Waits {

    private static final long POLL_MILLIS = 20;

    /** A condition that may need a query to decide. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private Waits() {
    }

    /** Returns once {@code check} holds; fails naming {@code what} after {@code timeout}. */
    static void until(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
