package io.concord.replicator.capture;

import io.concord.event.ChangeEvent;
import io.concord.replicator.capture.pgoutput.Begin;

/**
 * The transaction capture is in: its BEGIN, its origin, how many events it has produced, and
 * the newest of them, held back until the next one (or the COMMIT) tells whether it is the last.
 */
final class CaptureTransaction {

    private final Begin begin;
    private final boolean alreadyCaptured;
    private String origin;
    private int nextSeq;
    private ChangeEvent held;

    CaptureTransaction(Begin begin, boolean alreadyCaptured) {
        this.begin = begin;
        this.alreadyCaptured = alreadyCaptured;
    }

    Begin begin() {
        return begin;
    }

    /** Committed at or before the saved progress: published and persisted already, skipped whole. */
    boolean alreadyCaptured() {
        return alreadyCaptured;
    }

    void origin(String name) {
        this.origin = name;
    }

    /** The replication origin the transaction ran under, or null for the application's own writes. */
    String origin() {
        return origin;
    }

    /** Position of the next event within the transaction, from 0; identical on every replay. */
    int nextSeq() {
        return nextSeq++;
    }

    /** Holds {@code event} back and returns the one held before it, now known not to be the last. */
    ChangeEvent hold(ChangeEvent event) {
        ChangeEvent previous = held;
        held = event;
        return previous;
    }

    /** The held event, marked as the transaction's last; null if the transaction produced none. */
    ChangeEvent releaseLast() {
        ChangeEvent last = held;
        held = null;
        if (last != null) {
            last.getSource().setLast(true);
        }
        return last;
    }

    boolean holdsEvent() {
        return held != null;
    }
}
