package io.concord.replicator.metrics;

import io.concord.replicator.apply.ApplyService;
import io.concord.replicator.capture.CaptureService;
import io.concord.replicator.config.ConcordConfig;
import java.io.IOException;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics and health endpoints of one DC's runtime: its meters, the slot lag reader and the HTTP
 * server on {@code http.port}, started together and closed together.
 */
public final class DcMonitoring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DcMonitoring.class);
    /** Scrapes closer together than this share one slot lag query. */
    private static final Duration SLOT_LAG_MAX_AGE = Duration.ofSeconds(1);

    private final ConcordMeters meters;
    private final SlotLag slotLag;
    private HttpEndpoints endpoints;

    private DcMonitoring(ConcordMeters meters, SlotLag slotLag) {
        this.meters = meters;
        this.slotLag = slotLag;
    }

    /**
     * Binds the meters to capture and apply (before they start, so that nothing they report is missed) and
     * serves them on {@code http.port}, which must not be 0 (0 turns the endpoints off).
     *
     * @param apply null when the DC consumes no peer
     * @throws HttpPortUnavailableException if the port cannot be bound
     */
    public static DcMonitoring start(ConcordConfig config, CaptureService capture, Thread captureThread,
            ApplyService apply) {
        int port = config.http().port();
        if (port == 0) {
            throw new IllegalArgumentException("http.port is 0: the endpoints are off");
        }
        SlotLag slotLag = SlotLag.of(config.capture().slot(), () -> DriverManager.getConnection(config.postgres().url(),
                connectionProperties(config)), SLOT_LAG_MAX_AGE);
        ConcordMeters meters = new ConcordMeters(config.dc(), Clock.systemUTC()).bindJvm()
                .bindCapture(capture.metrics(), slotLag::bytes);
        if (apply != null) {
            meters.bindApply(apply.metrics(), config.sources());
        }
        DcMonitoring monitoring = new DcMonitoring(meters, slotLag);
        HealthProbes probes = new HealthProbes(() -> PartState.of(capture, captureThread), () -> PartState.of(apply));
        try {
            monitoring.endpoints = HttpEndpoints.start(port, "http-" + config.dc(), meters::scrape, probes);
        } catch (IOException e) {
            monitoring.close();
            throw new HttpPortUnavailableException(port, e);
        }
        LOG.info("DC {} serves http://localhost:{}/metrics, /health and /ready (on every interface)", config.dc(),
                port);
        return monitoring;
    }

    private static Properties connectionProperties(ConcordConfig config) {
        Properties properties = new Properties();
        properties.setProperty("user", config.postgres().user());
        if (config.postgres().password() != null && !config.postgres().password().isEmpty()) {
            properties.setProperty("password", config.postgres().password());
        }
        properties.setProperty("ApplicationName", "concord-metrics-" + config.dc());
        // A scrape must not hang on an unreachable server: it reports NaN instead.
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "5");
        return properties;
    }

    /** The meters, for tests and other parts that add their own. */
    public ConcordMeters meters() {
        return meters;
    }

    /** Stops serving and lets go of the slot lag connection; idempotent. */
    @Override
    public synchronized void close() {
        if (endpoints != null) {
            endpoints.close();
            endpoints = null;
        }
        try {
            slotLag.close();
        } catch (Exception e) {
            LOG.debug("closing the slot lag reader: {}", e.getMessage());
        }
        meters.close();
    }
}
