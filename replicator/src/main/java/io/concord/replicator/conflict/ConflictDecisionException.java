package io.concord.replicator.conflict;

/** A decision on a conflict that cannot be taken as asked; the message says why and what to do instead. */
public final class ConflictDecisionException extends Exception {

    public ConflictDecisionException(String message) {
        super(message);
    }
}
