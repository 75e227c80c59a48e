package io.concord.replicator.apply;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.publish.KafkaClientProperties;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The Kafka Streams topology of one DC's apply side, and its configuration: one source over the changes
 * topics of the peers this DC consumes ({@link ConcordConfig#sources()}), one {@link ApplyProcessor}, no
 * state stores and no sinks (what it produces goes to PostgreSQL, and dead letters through a producer).
 */
public final class ApplyTopology {

    static final String SOURCE = "peer-changes";
    static final String PROCESSOR = "apply";
    /** How long a fetch of apply's consumer waits on the broker while nothing new is committed (see below). */
    public static final int FETCH_WAIT_MILLIS = 200;
    private static final long POLL_MILLIS = 5;

    private ApplyTopology() {
    }

    /** The Streams application id: one per DC, prefixed like the topics so that clusters can share Kafka. */
    public static String applicationId(ConcordConfig config) {
        return config.topics().prefix() + "-apply-" + config.dc();
    }

    static Topology build(ConcordConfig config, ProcessorSupplier<byte[], byte[], Void, Void> processor) {
        String[] topics = config.sources().stream().map(peer -> config.topics().changes(peer)).toArray(String[]::new);
        return new Topology()
                .addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics)
                .addProcessor(PROCESSOR, processor, SOURCE);
    }

    /**
     * Streams settings. {@code commit.interval.ms} is very large on purpose: the processor asks for a commit
     * after each PostgreSQL commit (see {@link ApplyProcessor} for why offsets are not the truth anyway).
     * read_committed, because capture publishes in Kafka transactions and a fenced zombie's aborted batch
     * must never be applied.
     */
    static Properties properties(ConcordConfig config, Path stateDir) {
        Properties properties = KafkaClientProperties.common(config.kafka(), "concord-apply-" + config.dc());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(config));
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.MAX_VALUE);
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // No global state here; set to the coming default so Streams does not warn at every start.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        properties.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        properties.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A member that died without leaving (kill -9) holds its partitions until its session times out: the
        // standby's apply, or the restarted one, waits that long (45 s by default), and so does a close meanwhile.
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
                Math.max(100, config.apply().batchSize()));
        // An idle stream thread blocks in poll for poll.ms (100 ms by default), which would delay the batch timer as
        // much. A fetch waits on the broker up to fetch.max.wait.ms only while nothing new is committed: the broker
        // answers it as soon as a transaction's marker moves the last stable offset. So the wait costs no latency,
        // while a short one (10 ms, tried before) made every idle consumer send a hundred empty fetches a second,
        // which cost the broker more CPU than the records did (bench, steady lag: broker CPU 6.5 s -> 3.9 s per
        // 30 s with this and fewer offset commits, lag from Kafka to b unchanged).
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), FETCH_WAIT_MILLIS);
        properties.put(StreamsConfig.POLL_MS_CONFIG, POLL_MILLIS);
        // A task reads partition p of every peer's topic. By default it holds back records of one peer while another
        // peer's partition has data on the broker not yet fetched, to process them in timestamp order — an order
        // apply has no use for (each partition's order is kept either way; versions, not arrival, decide between
        // peers), which only couples one peer's lag to another's. And the check formats a log line with
        // String.format for every empty partition at every turn of the loop: a seventh of the stream thread's CPU
        // in a steady stream (JFR, bench scenario 4). Disabled: whatever is fetched is processed.
        properties.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return properties;
    }
}
