package io.concord.replicator.capture;

import io.concord.event.codec.EventCodec;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.publish.CaptureFencedException;
import io.concord.replicator.publish.KafkaClientProperties;
import io.concord.replicator.publish.TopicManager;
import io.concord.replicator.publish.TransactionalPublisher;
import io.concord.replicator.store.CaptureProgressStore;
import io.concord.replicator.store.RowStateStore;
import io.concord.replicator.store.SessionOptions;
import io.concord.replicator.types.JdbcTypeCatalog;
import io.concord.replicator.types.TypeRegistry;
import io.concord.resolver.ResolverRegistry;
import io.concord.version.DcId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DC's capture, from becoming the active instance to a clean stop.
 *
 * <p>Only one instance of a DC captures at a time. The slot admits one reader, so a second
 * instance waits as a standby, retrying until the slot is free (its holder died or stopped),
 * then takes over: it bumps the capture epoch in PostgreSQL and re-registers the transactional
 * producer, which fences the previous instance in both places should it still be alive.
 *
 * <p>Failures never end the thread silently: retryable ones (connection lost, broker down) are
 * logged and retried with backoff; being fenced stops capture for good, and {@link #failure()}
 * tells why.
 */
public final class CaptureService implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);
    private static final long RETRY_MILLIS = 1_000;
    /** Failures in a row back off up to this, so a lasting problem is logged every half minute, not every second. */
    private static final long MAX_RETRY_MILLIS = 30_000;

    private final ConcordConfig config;
    private final CaptureSettings settings;
    private final CaptureMetrics metrics = new CaptureMetrics();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean active;
    private volatile Throwable failure;
    private volatile boolean standby;
    private int failures;

    public CaptureService(ConcordConfig config) {
        this(config, CaptureSettings.of(config));
    }

    public CaptureService(ConcordConfig config, CaptureSettings settings) {
        this.config = config;
        this.settings = settings;
    }

    @Override
    public void run() {
        try (TopicManager topics = new TopicManager(kafkaProperties("admin"))) {
            topics.ensureSinglePartitionTopic(config.topics().changes(config.dc()), config.topics().replicationFactor());
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("capture of DC {} cannot start: {}", config.dc(), e.getMessage(), e);
            return;
        }
        while (running.get()) {
            try {
                captureUntilStopped();
            } catch (CaptureFencedException e) {
                failure = e;
                LOG.error("capture of DC {} stops: {}", config.dc(), e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RowStateMovedException e) {
                LOG.info("capture of DC {} starts over from the slot: {}", config.dc(), e.getMessage());
                metrics.restartedForMovedState();
            } catch (SlotBusyException e) {
                if (!standby) {
                    LOG.info("standby: slot {} is held by another instance of DC {}; taking over when it is free",
                            settings.slot(), config.dc());
                    standby = true;
                }
                pause(RETRY_MILLIS);
            } catch (Exception e) {
                failures++;
                long wait = Math.min(MAX_RETRY_MILLIS, RETRY_MILLIS << Math.min(failures - 1, 5));
                LOG.warn("capture of DC {} failed ({} in a row), retrying in {} ms: {}", config.dc(), failures, wait,
                        e.toString());
                pause(wait);
            } finally {
                active = false;
            }
        }
    }

    private void captureUntilStopped() throws Exception {
        try (Connection state = connect();
                PgOutputStream stream = openStream(state)) {
            CaptureProgressStore progressStore = new CaptureProgressStore();
            long epoch = progressStore.claim(state, settings.slot());
            state.commit();
            CaptureProgressStore.Progress progress = progressStore.load(state, settings.slot());
            state.commit();
            try (TransactionalPublisher publisher = new TransactionalPublisher(kafkaProperties("capture"), config.dc(),
                    config.topics().changes(config.dc()))) {
                publisher.open();
                active = true;
                standby = false;
                failures = 0;
                LOG.info("capture of DC {} is active (epoch {}), resuming after {}", config.dc(), epoch, progress.lsn());
                CapturedTables tables = CapturedTables.load(config, ResolverRegistry.load(), state);
                state.commit();
                FencesPassed.of(settings.slot()).captureActive(true);
                try {
                    new CaptureLoop(DcId.of(config.dc()), tables, state, new RowStateStore(), progressStore, progress,
                            epoch, publisher, new EventCodec(), settings, metrics, Clock.systemUTC())
                            .run(stream, running::get);
                } finally {
                    FencesPassed.of(settings.slot()).captureActive(false);
                }
            }
        }
    }

    private PgOutputStream openStream(Connection state) throws SQLException {
        TypeRegistry types = new TypeRegistry(new JdbcTypeCatalog(this::connect));
        try {
            return PgOutputStream.open(config.postgres().url(), config.postgres().user(), config.postgres().password(),
                    streamOptions(state), Lsn.INVALID, types);
        } catch (SQLException e) {
            if ("55006".equals(e.getSQLState())) {
                throw new SlotBusyException(e);
            }
            throw e;
        }
    }

    /**
     * pgoutput's options. Unless this DC forwards what it applies (star hub, ring), the slot skips every
     * transaction that carries a replication origin (PostgreSQL 16+): apply's batches are no business of
     * capture (apply stores their states itself), and the walsender decoding each applied row only to have
     * capture drop it cost as much as applying it, on the path every batch waits on (CaptureBarrier).
     *
     * <p>The option cannot tell origins apart: writes that another replication brings into this database (a
     * native subscription's {@code pg_<oid>} origin, another tool's) are local writes for Concord and would be
     * skipped too. While any replication origin other than Concord's exists, capture reads every transaction
     * and drops Concord's own by their origin, as it did before. The check runs when the stream opens.
     */
    private WalStreamOptions streamOptions(Connection state) throws SQLException {
        boolean skipApplied = !settings.forward() && state.getMetaData().getDatabaseMajorVersion() >= 16;
        if (skipApplied) {
            List<String> foreign = new ArrayList<>();
            try (Statement statement = state.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT roname FROM pg_replication_origin WHERE roname NOT LIKE 'concord\\_%' ORDER BY 1")) {
                while (rows.next()) {
                    foreign.add(rows.getString(1));
                }
            }
            state.commit();
            if (!foreign.isEmpty()) {
                LOG.info("replication origins other than Concord's exist here ({}): capture reads applied"
                        + " transactions too, so that their writes are captured", foreign);
                skipApplied = false;
            }
        }
        WalStreamOptions defaults = WalStreamOptions.of(settings.slot(), settings.publication());
        return new WalStreamOptions(defaults.slotName(), defaults.publications(), defaults.protocolVersion(),
                defaults.messages(), skipApplied ? "none" : null, defaults.statusInterval());
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.postgres().user());
        if (config.postgres().password() != null) {
            properties.setProperty("password", config.postgres().password());
        }
        properties.setProperty("ApplicationName", "concord-capture-" + config.dc());
        Connection connection = SessionOptions.applyTo(DriverManager.getConnection(config.postgres().url(), properties));
        connection.setAutoCommit(false);
        return connection;
    }

    private Properties kafkaProperties(String role) {
        return KafkaClientProperties.common(config.kafka(), "concord-" + role + "-" + config.dc());
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** Asks the loop to stop after its current batch. */
    public void stop() {
        running.set(false);
    }

    /** Whether this instance holds the slot and publishes. */
    public boolean isActive() {
        return active;
    }

    /** Whether this instance waits for the slot, which another instance of this DC holds. */
    public boolean isStandby() {
        return standby;
    }

    /** Why capture stopped for good, or null. */
    public Throwable failure() {
        return failure;
    }

    public CaptureMetrics metrics() {
        return metrics;
    }

    /** The slot is being read by another instance of this DC: we are the standby. */
    private static final class SlotBusyException extends SQLException {
        private static final long serialVersionUID = 1L;

        SlotBusyException(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }
}
