package io.concord.replicator.metrics;

import java.io.IOException;

/** The port of {@code http.port} cannot be listened on: another process holds it, or it is not allowed. */
public final class HttpPortUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    HttpPortUnavailableException(int port, IOException cause) {
        super("http.port " + port + ": cannot listen for /metrics, /health and /ready: " + cause.getMessage()
                + " (choose a free port, or 0 to turn the endpoints off)", cause);
    }
}
