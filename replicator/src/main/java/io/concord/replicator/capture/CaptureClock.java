package io.concord.replicator.capture;

/**
 * This DC's hybrid logical clock as capture keeps it: a local write is stamped
 * {@code max(commit time, last + 1)}, and every version taken in from a peer moves the clock up
 * to it, so a write that follows another causally always has the larger stamp.
 *
 * <p>Unlike a general HLC it never reads the wall clock itself, only commit times from the WAL:
 * replaying the same WAL from the same saved value gives the same stamps, which is what makes
 * republished events after a crash identical to the first ones.
 */
final class CaptureClock {

    private long last;

    CaptureClock(long start) {
        this.last = start;
    }

    /** The stamp of a local write committed at {@code commitMicros}. */
    long tick(long commitMicros) {
        last = Math.max(commitMicros, last + 1);
        return last;
    }

    /** Takes in a stamp already issued (a peer's write, or one of ours replayed). */
    void observe(long hlc) {
        last = Math.max(last, hlc);
    }

    long current() {
        return last;
    }
}
