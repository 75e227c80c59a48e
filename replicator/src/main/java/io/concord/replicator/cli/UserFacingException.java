package io.concord.replicator.cli;

/** An error whose message tells the user what to fix; printed without a stack trace, exit code 2. */
public final class UserFacingException extends Exception {

    private static final long serialVersionUID = 1L;

    public UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }
}
