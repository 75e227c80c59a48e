package io.concord.replicator.bench;

import io.concord.replicator.apply.ApplyTopology;
import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.publish.TopicManager;
import io.concord.replicator.publish.TransactionalPublisher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the broker alone costs the steady stream: the scenario's rate of records, published the way capture publishes
 * them — {@link TransactionalPublisher}, one Kafka transaction per window — and read the way apply reads them
 * (read_committed, the same fetch wait), with no PostgreSQL, no decoding, no versions, nothing applied. A record is due
 * at its place in the rate (as a row commits on {@code a}); it is sent when its window ends, as capture sends what it
 * read in one; its lag is the time the consumer got it minus the time it was due. Windows of capture's default
 * ({@code capture.max-batch-delay}, 10 ms) and two shorter ones, and for comparison the default window without
 * transactions (an idempotent producer flushed per window, what capture would do without them): a pipeline built on
 * Kafka pays at least this lag for its window, and the broker's CPU per window, times the windows a second, on top of
 * everything else the machine runs.
 */
final class KafkaFloor {

    /** How records are published: each window's records, then a commit (or a flush) when the window ends. */
    record Shape(String name, Duration window, boolean transactional) {
    }

    /** Capture's read window by default first ({@code capture.max-batch-delay}, ConfigKeys.CAPTURE_DELAY). */
    static final List<Shape> SHAPES = List.of(
            new Shape("tx every 10 ms", Duration.ofMillis(10), true),
            new Shape("tx every 5 ms", Duration.ofMillis(5), true),
            new Shape("tx every 2 ms", Duration.ofMillis(2), true),
            new Shape("flush every 10 ms, no tx", Duration.ofMillis(10), false));
    /** Records of about a bench row's change event. */
    static final int RECORD_BYTES = 200;
    /** Each shape's run at most (12,000 records at the rate: enough for a p99). */
    private static final Duration LONGEST = Duration.ofSeconds(6);

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Progress progress;

    KafkaFloor(BenchCluster cluster, BenchSettings settings, Progress progress) {
        this.cluster = cluster;
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs every shape once, adding their lag and broker CPU to {@code result}. */
    void measure(ScenarioResult result) throws Exception {
        Duration duration = settings.lagDuration().compareTo(LONGEST) > 0 ? LONGEST : settings.lagDuration();
        for (Shape shape : SHAPES) {
            measure(shape, duration, result);
        }
        result.note("kafka alone: the broker without PostgreSQL or Concord — " + settings.lagRate() + " records/s of "
                + RECORD_BYTES + " bytes for " + duration.toSeconds() + " s, published as capture publishes (one"
                + " transaction per window, 10 ms being capture.max-batch-delay's default; or, last, no transactions:"
                + " an idempotent producer flushed per window) and read as apply reads (read_committed); lag = time"
                + " read minus the time the record was due at the writer's rate; broker cpu per window = the broker's"
                + " threads' CPU meanwhile, per transaction (or flush)");
    }

    private void measure(Shape shape, Duration duration, ScenarioResult result) throws Exception {
        String run = cluster.nextRunId();
        String topic = run + ".kafka-floor";
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        client.put(CommonClientConfigs.CLIENT_ID_CONFIG, "bench-kafka-floor");
        try (TopicManager topics = new TopicManager(client)) {
            topics.ensureSinglePartitionTopic(topic, (short) 1);
        }
        int records = (int) Math.max(1, settings.lagRate() * duration.toMillis() / 1000);
        CpuMeter cpu = new CpuMeter(new Db(cluster.source(), PostgresServer.DEFAULT_DATABASE),
                new Db(cluster.target(), PostgresServer.DEFAULT_DATABASE));
        long[] lagNanos = new long[records];
        try (Sender sender = shape.transactional() ? new Transactions(client, run, topic) : new Flushes(client, topic);
             KafkaConsumer<byte[], byte[]> consumer = consumer(client, topic)) {
            FutureTask<Void> reading = new FutureTask<>(() -> {
                read(consumer, lagNanos, duration.plus(settings.applyTimeout()));
                return null;
            });
            Map<String, Long> before = cpu.sample();
            long started = System.nanoTime();
            Thread reader = new Thread(reading, "bench-kafka-floor-reader");
            reader.start();
            // On threads named "bench-kafka-*", so that the broker's CPU is the broker's alone (CpuMeter).
            FutureTask<Integer> publishing = new FutureTask<>(() -> publish(sender, records, shape.window()));
            Thread publisher = new Thread(publishing, "bench-kafka-floor-publisher");
            publisher.start();
            int windows;
            try {
                windows = publishing.get(duration.plus(settings.applyTimeout()).toMillis(), TimeUnit.MILLISECONDS);
                reading.get(duration.plus(settings.applyTimeout()).toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (!publishing.isDone()) {
                    publishing.cancel(true);
                }
                publisher.join(TimeUnit.SECONDS.toMillis(10));
                if (!reading.isDone()) {
                    reading.cancel(true); // the consumer is closed next, and only its own thread may use it
                }
                reader.join(TimeUnit.SECONDS.toMillis(10));
            }
            Map<String, Long> spent = CpuMeter.spent(before, cpu.sample());
            double seconds = (System.nanoTime() - started) / 1e9;
            double[] lags = Arrays.stream(lagNanos).mapToDouble(nanos -> nanos / 1e6).sorted().toArray();
            double brokerSeconds = spent.getOrDefault(CpuMeter.BROKER, 0L) / 1e9;
            double brokerMicros = brokerSeconds * 1e6 / windows;
            result.add("kafka alone: lag p50", "ms", false, shape.name(), Samples.percentile(lags, 50));
            result.add("kafka alone: lag p99", "ms", false, shape.name(), Samples.percentile(lags, 99));
            result.add("kafka alone: broker cpu per window", "µs", false, shape.name(), brokerMicros);
            result.add("kafka alone: broker cpu per second", "ms", false, shape.name(), brokerSeconds * 1e3 / seconds);
            progress.log("steady-lag kafka alone, %s: %,d records in %,d windows, lag p50 %.1f ms, p99 %.1f ms, max"
                    + " %.1f ms; broker %.2f s of CPU (%.0f µs a window)", shape.name(), records, windows,
                    Samples.percentile(lags, 50), Samples.percentile(lags, 99), lags[lags.length - 1],
                    brokerSeconds, brokerMicros);
        }
    }

    /** A reader of {@code topic} as apply reads: {@code read_committed}, apply's fetch wait, from the start. */
    static KafkaConsumer<byte[], byte[]> consumer(Properties client, String topic) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ApplyTopology.FETCH_WAIT_MILLIS);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        return consumer;
    }

    /**
     * Sends each window's records when the window ends and commits (or flushes) them; returns the number of windows
     * that had records. A record's payload starts with the {@link System#nanoTime} it was due at.
     */
    private int publish(Sender sender, int records, Duration windowLength) {
        byte[] key = "floor".getBytes(StandardCharsets.UTF_8);
        double nanosPerRecord = 1e9 / settings.lagRate();
        long window = windowLength.toNanos();
        long start = System.nanoTime();
        int next = 0;
        int windows = 0;
        for (long end = start + window; next < records; end += window) {
            LockSupport.parkNanos(end - System.nanoTime());
            long now = System.nanoTime();
            int sent = 0;
            while (next < records && start + (long) (next * nanosPerRecord) <= now) {
                byte[] value = new byte[RECORD_BYTES];
                ByteBuffer.wrap(value).putLong(start + (long) (next * nanosPerRecord));
                sender.send(key, value);
                next++;
                sent++;
            }
            if (sent > 0) {
                sender.endWindow();
                windows++;
            }
        }
        return windows;
    }

    private static void read(KafkaConsumer<byte[], byte[]> consumer, long[] lagNanos, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int received = 0;
        while (received < lagNanos.length) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kafka alone: " + received + " of " + lagNanos.length
                        + " records read within " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                long now = System.nanoTime();
                if (received < lagNanos.length) {
                    lagNanos[received++] = now - ByteBuffer.wrap(record.value()).getLong();
                }
            }
        }
    }

    private interface Sender extends AutoCloseable {
        void send(byte[] key, byte[] value);

        /** Returns once every record sent since the last call is acknowledged (and, in a transaction, committed). */
        void endWindow();

        @Override
        void close();
    }

    /** Capture's own publisher. */
    private static final class Transactions implements Sender {
        private final TransactionalPublisher publisher;

        Transactions(Properties client, String run, String topic) {
            publisher = TransactionalPublisher.opened(client, run, topic);
        }

        @Override
        public void send(byte[] key, byte[] value) {
            publisher.send(key, value);
        }

        @Override
        public void endWindow() {
            publisher.commit();
        }

        @Override
        public void close() {
            publisher.close();
        }
    }

    /** Capture's producer without the transactional id: idempotent, flushed per window. */
    private static final class Flushes implements Sender {
        private final String topic;
        private final KafkaProducer<byte[], byte[]> producer;

        Flushes(Properties client, String topic) {
            this.topic = topic;
            producer = new KafkaProducer<>(TransactionalPublisher.producerProperties(client), new ByteArraySerializer(),
                    new ByteArraySerializer());
        }

        @Override
        public void send(byte[] key, byte[] value) {
            producer.send(new ProducerRecord<>(topic, 0, key, value));
        }

        @Override
        public void endWindow() {
            producer.flush();
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
