package io.concord.replicator.apply;

import java.sql.SQLException;
import java.util.Set;

/**
 * A batch that could not be applied. {@link #retryable()} tells the caller whether the same batch may
 * simply be tried again (connection lost, serialization failure, deadlock, lock timeout, capture behind)
 * or whether trying again cannot help (a bug, a broken event the batch could not set aside).
 */
public final class ApplyException extends Exception {

    /** SQLSTATEs (or their two-character classes) after which the same batch may be tried again. */
    private static final Set<String> RETRYABLE = Set.of(
            "08",     // connection exception
            "40001",  // serialization_failure
            "40P01",  // deadlock_detected
            "55P03",  // lock_not_available (lock_timeout)
            "57014",  // query_canceled (statement_timeout)
            "57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now
            "53300"); // too_many_connections

    private final boolean retryable;

    ApplyException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether trying the same batch again may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** Classifies a database failure by walking its cause chain for a SQLSTATE. */
    static ApplyException of(String what, SQLException failure) {
        return new ApplyException(what + ": " + failure.getMessage(), isRetryable(failure), failure);
    }

    static boolean isRetryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    String state = next.getSQLState();
                    if (state != null && (RETRYABLE.contains(state) || RETRYABLE.contains(state.substring(0, 2)))) {
                        return true;
                    }
                }
            }
            if (cause instanceof java.net.SocketException || cause instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of the failure or of the first cause that has one; null if none has. */
    static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (next.getSQLState() != null) {
                        return next.getSQLState();
                    }
                }
            }
        }
        return null;
    }
}
