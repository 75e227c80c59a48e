package io.concord.replicator.publish;

/**
 * Another instance of this DC has taken over capture: this one is a zombie and must stop
 * without writing anything more. Never retried.
 */
public final class CaptureFencedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CaptureFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
