package io.concord.replicator.capture.pgoutput;

/**
 * A pgoutput message that does not follow the protocol, or one we did not ask for. Permanent: the same WAL
 * decodes the same way again.
 */
public final class PgOutputException extends RuntimeException {

    public PgOutputException(String message) {
        super(message);
    }
}
