package io.concord.replicator.apply;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.publish.KafkaClientProperties;
import io.concord.replicator.publish.TopicManager;
import io.concord.resolver.ResolverRegistry;
import java.nio.file.Path;
import io.concord.replicator.store.SessionOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DC's apply side, from start to a clean stop: the {@link ApplyTopology} running in Kafka Streams.
 *
 * <h2>When a stream thread dies</h2>
 * Everything the processor expects (a batch failing retryably or for good, a bad record) is handled
 * inside it, so an exception reaching the stream thread is unexpected: Kafka unreachable for long, a
 * bug. It is logged as an error with its stack trace and the thread is replaced
 * ({@code REPLACE_THREAD}): the new thread resumes from {@code concord.apply_progress}, losing nothing.
 * A failure that keeps coming back is not hidden by endless replacing: the
 * {@value #MAX_REPLACEMENTS}th within {@value #REPLACEMENT_WINDOW_MINUTES} minutes shuts the client down
 * ({@code SHUTDOWN_CLIENT}) and is kept as {@link #failure()}, which {@code concord run} turns into its
 * exit code, for a supervisor to restart it and a person to look.
 */
public final class ApplyService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyService.class);
    static final int MAX_REPLACEMENTS = 5;
    static final long REPLACEMENT_WINDOW_MINUTES = 10;
    /** Bounded so that {@code concord run} stops well within a supervisor's grace period (often 30 s). */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ConcordConfig config;
    private final ApplyMetrics metrics = new ApplyMetrics();
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile boolean running;
    /** Set by {@link #close()}: a start still under way stops short of starting Streams. */
    private boolean closed;
    private volatile Throwable failure;
    private Producer<byte[], byte[]> deadLetterProducer;
    private volatile KafkaStreams streams;

    public ApplyService(ConcordConfig config) {
        this.config = config;
        if (config.sources().isEmpty()) {
            throw new IllegalArgumentException("DC " + config.dc() + " consumes no peer: nothing to apply");
        }
    }

    /**
     * Creates the topics it needs if missing (the peers' changes topics, so that Streams does not wait for
     * a peer that has not started yet; this DC's dead-letter topic), reads the tables, starts Streams. Does not
     * start Streams when {@link #close()} came first (a stop while the process starts).
     */
    public void start() throws SQLException {
        try (TopicManager topics = new TopicManager(kafkaProperties("admin"))) {
            for (String peer : config.sources()) {
                topics.ensureSinglePartitionTopic(config.topics().changes(peer), config.topics().replicationFactor());
            }
            topics.ensureSinglePartitionTopic(config.topics().deadLetters(config.dc()),
                    config.topics().replicationFactor());
        }
        ApplyTables tables;
        try (Connection connection = connect()) {
            tables = ApplyTables.load(config, ResolverRegistry.load(), connection);
        }
        synchronized (this) {
            if (closed) {
                return; // close() said so
            }
            startStreams(tables);
        }
    }

    private void startStreams(ApplyTables tables) {
        Properties producer = kafkaProperties("dead-letters");
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        deadLetterProducer = new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
        GapReader gapReader = new GapReader(() -> kafkaProperties("gap"));
        running = true;
        streams = new KafkaStreams(ApplyTopology.build(config, () -> new ApplyProcessor(config, tables, this::connect,
                deadLetterProducer, gapReader, () -> running, metrics, Clock.systemUTC())),
                ApplyTopology.properties(config, Path.of(System.getProperty("java.io.tmpdir"), "concord-streams")));
        streams.setUncaughtExceptionHandler(this::onThreadDeath);
        streams.setStateListener((now, before) -> {
            LOG.debug("apply of DC {}: {} -> {}", config.dc(), before, now);
            if (now == KafkaStreams.State.ERROR && failure == null) {
                failure = new IllegalStateException("the apply topology of DC " + config.dc() + " stopped in error");
            }
        });
        streams.start();
        LOG.info("apply of DC {} started: application {}, consuming {}", config.dc(),
                ApplyTopology.applicationId(config), config.sources().stream().map(p -> config.topics().changes(p))
                        .toList());
    }

    private StreamThreadExceptionResponse onThreadDeath(Throwable error) {
        synchronized (replacements) { // not on this: close() holds that while it waits for the threads
            return respond(error);
        }
    }

    private StreamThreadExceptionResponse respond(Throwable error) {
        if (!running) {
            LOG.info("apply of DC {}: stream thread ended while stopping: {}", config.dc(), error.toString());
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = System.nanoTime();
        long window = Duration.ofMinutes(REPLACEMENT_WINDOW_MINUTES).toNanos();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > window) {
            replacements.removeFirst();
        }
        replacements.addLast(now);
        if (replacements.size() >= MAX_REPLACEMENTS) {
            failure = error;
            LOG.error("APPLY OF DC {} STOPS: its stream thread died {} times within {} minutes; last: {}", config.dc(),
                    replacements.size(), REPLACEMENT_WINDOW_MINUTES, error.toString(), error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("apply of DC {}: stream thread died ({} within {} minutes), replacing it; it resumes from"
                + " concord.apply_progress: {}", config.dc(), replacements.size(), REPLACEMENT_WINDOW_MINUTES,
                error.toString(), error);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Whether Streams is running (partitions assigned and processing, or rebalancing). */
    public boolean isRunning() {
        KafkaStreams current = streams;
        return current != null && current.state().isRunningOrRebalancing();
    }

    /** The Kafka Streams client's state; empty before {@link #start()} and after {@link #close()}. */
    public Optional<KafkaStreams.State> state() {
        KafkaStreams current = streams;
        return current == null ? Optional.empty() : Optional.of(current.state());
    }

    /** Why apply stopped for good, or null. */
    public Throwable failure() {
        return failure;
    }

    public ApplyMetrics metrics() {
        return metrics;
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.postgres().user());
        if (config.postgres().password() != null && !config.postgres().password().isEmpty()) {
            properties.setProperty("password", config.postgres().password());
        }
        properties.setProperty("ApplicationName", "concord-apply-" + config.dc());
        return SessionOptions.applyTo(DriverManager.getConnection(config.postgres().url(), properties));
    }

    private Properties kafkaProperties(String role) {
        return KafkaClientProperties.common(config.kafka(), "concord-apply-" + role + "-" + config.dc());
    }

    /**
     * Stops: a batch being retried is given up (read again after the next start), Streams leaves the group
     * so that another instance takes the partitions over at once.
     */
    @Override
    public synchronized void close() {
        running = false;
        if (closed) {
            return;
        }
        closed = true;
        if (streams == null && deadLetterProducer == null) {
            LOG.info("apply of DC {} stopped (it had not started)", config.dc());
            return;
        }
        if (streams != null) {
            if (!streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT))) {
                LOG.warn("apply of DC {} did not stop within {} s", config.dc(), CLOSE_TIMEOUT.toSeconds());
            }
            streams = null;
        }
        if (deadLetterProducer != null) {
            deadLetterProducer.close(Duration.ofSeconds(5));
            deadLetterProducer = null;
        }
        LOG.info("apply of DC {} stopped", config.dc());
    }
}
