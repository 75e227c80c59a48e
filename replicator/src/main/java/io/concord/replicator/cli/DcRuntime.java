package io.concord.replicator.cli;

import io.concord.replicator.apply.ApplyService;
import io.concord.replicator.capture.CaptureService;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.metrics.DcMonitoring;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code concord run} runs for one DC: capture (always) and apply (when the DC consumes a peer), started
 * together, stopped together, and watched: either one failing for good ends the whole. Unless {@code http.port}
 * is 0, {@code /metrics}, {@code /health} and {@code /ready} are served meanwhile.
 */
public final class DcRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DcRuntime.class);

    private final ConcordConfig config;
    private final CaptureService capture;
    private final Thread captureThread;
    private final ApplyService apply;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private DcMonitoring monitoring;

    private DcRuntime(ConcordConfig config) {
        this.config = config;
        this.capture = new CaptureService(config);
        this.captureThread = new Thread(capture, "capture-" + config.dc());
        this.apply = config.sources().isEmpty() ? null : new ApplyService(config);
    }

    /**
     * Starts the HTTP endpoints (first: a port in use fails before anything runs), capture, then apply; the
     * database must be installed.
     *
     * @throws io.concord.replicator.metrics.HttpPortUnavailableException if {@code http.port} cannot be bound
     */
    public static DcRuntime start(ConcordConfig config) throws SQLException {
        DcRuntime runtime = create(config);
        runtime.begin();
        return runtime;
    }

    /**
     * A runtime with nothing started yet: {@link #close()} may be called before or during {@link #begin()}, which
     * is what lets {@code concord run} answer a SIGTERM that comes while it starts with an orderly stop.
     */
    public static DcRuntime create(ConcordConfig config) {
        return new DcRuntime(config);
    }

    /**
     * Starts what {@link #start(ConcordConfig)} says; does nothing once {@link #close()} was called, and stops
     * short where a close comes meanwhile (apply then stops as soon as its start gets that far).
     */
    public void begin() throws SQLException {
        synchronized (this) {
            if (stopRequested.getCount() == 0) {
                LOG.info("DC {} was stopped before it started", config.dc());
                return;
            }
            if (config.http().port() != 0) {
                monitoring = DcMonitoring.start(config, capture, captureThread, apply);
            }
            captureThread.start();
        }
        if (apply != null) {
            // Not under this lock: a close meanwhile must not wait for Kafka and PostgreSQL to answer the start.
            try {
                apply.start();
            } catch (SQLException | RuntimeException e) {
                close();
                throw e;
            }
        }
        if (stopRequested.getCount() == 0) {
            return;
        }
        LOG.info("DC {} runs capture (to {}) and {}", config.dc(), config.topics().changes(config.dc()),
                apply == null ? "no apply (it consumes no peer)" : "apply (from " + config.sources().stream()
                        .map(peer -> config.topics().changes(peer)).toList() + ", " + config.topology().type()
                        .name().toLowerCase() + (config.forwardsAppliedChanges() ? ", forwarding" : "") + ")");
    }

    public CaptureService capture() {
        return capture;
    }

    /** The apply side; null when the DC consumes no peer. */
    public ApplyService apply() {
        return apply;
    }

    /**
     * Blocks until {@link #close()} is called or a part stops for good.
     *
     * @return why a part stopped (its message names the part, its cause is the part's failure), or null after a
     *     requested stop
     */
    public Throwable awaitTermination() throws InterruptedException {
        while (!stopRequested.await(500, TimeUnit.MILLISECONDS)) {
            if (!captureThread.isAlive()) {
                Throwable cause = capture.failure();
                return new IllegalStateException("capture stopped: " + (cause == null ? "its thread ended"
                        : cause.getMessage()), cause);
            }
            if (apply != null && apply.failure() != null) {
                return new IllegalStateException("apply stopped: " + apply.failure().getMessage(), apply.failure());
            }
        }
        return null;
    }

    /** Stops apply and capture and waits for them; idempotent. */
    @Override
    public synchronized void close() {
        stopRequested.countDown();
        if (monitoring != null) {
            monitoring.close();
            monitoring = null;
        }
        if (apply != null) {
            apply.close();
        }
        capture.stop();
        try {
            captureThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
