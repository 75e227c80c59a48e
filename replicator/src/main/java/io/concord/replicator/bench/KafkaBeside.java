package io.concord.replicator.bench;

import io.concord.replicator.publish.TopicManager;
import io.concord.replicator.publish.TransactionalPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The broker's share of scenario 5 ({@code kafka alone} there): beside an application's load with nothing replicating,
 * publishes what capture would publish for it — at the end of every window of capture's default length, one record of
 * a change event's size for each transaction the clients committed in it, in one Kafka transaction, through capture's
 * own {@link TransactionalPublisher} — and reads it as apply would ({@code read_committed}). No slot, no decoding, no
 * versions, nothing applied: what the application loses then is what a broker in the middle takes from it on a machine
 * it shares, before Concord does anything.
 */
final class KafkaBeside implements AutoCloseable {

    /** What was published: records, and the windows (Kafka transactions) they went in. */
    record Outcome(long records, long windows) {
    }

    private final LongSupplier committed;
    private final Duration window;
    private final Properties client;
    private final TransactionalPublisher publisher;
    private final String topic;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong windows = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private final Thread publishing;
    private final Thread reading;
    private volatile boolean publishingStops;
    private volatile boolean readingStops;
    private volatile RuntimeException failure;

    private KafkaBeside(BenchCluster cluster, LongSupplier committed, Duration window) {
        this.committed = committed;
        this.window = window;
        String run = cluster.nextRunId();
        this.topic = run + ".kafka-beside";
        client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        client.put(CommonClientConfigs.CLIENT_ID_CONFIG, "bench-kafka-beside");
        try (TopicManager topics = new TopicManager(client)) {
            topics.ensureSinglePartitionTopic(topic, (short) 1);
        }
        publisher = TransactionalPublisher.opened(client, run, topic);
        // Named "bench-kafka-*": their CPU is the clients' of the broker, not the broker's (CpuMeter).
        publishing = new Thread(guarded(this::publish), "bench-kafka-beside-publisher");
        reading = new Thread(guarded(this::read), "bench-kafka-beside-reader");
    }

    /**
     * Starts publishing, a window at a time, one record per transaction {@code committed} counts, until
     * {@link #finish}.
     */
    static KafkaBeside start(BenchCluster cluster, LongSupplier committed, Duration window) {
        KafkaBeside beside = new KafkaBeside(cluster, committed, window);
        beside.reading.start();
        beside.publishing.start();
        return beside;
    }

    /** Publishes the last window, waits until every record published was read, and says what was published. */
    Outcome finish(Duration timeout) throws InterruptedException {
        publishingStops = true;
        publishing.join(timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (failure == null && read.get() < published.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        readingStops = true;
        reading.join(timeout.toMillis());
        if (failure != null) {
            throw new IllegalStateException("kafka alone beside the load failed: " + failure.getMessage(), failure);
        }
        if (publishing.isAlive() || read.get() != published.get()) {
            throw new IllegalStateException("kafka alone beside the load: " + read.get() + " of " + published.get()
                    + " records read within " + timeout.toSeconds() + " s");
        }
        return new Outcome(published.get(), windows.get());
    }

    private Runnable guarded(Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                failure = e;
            }
        };
    }

    private void publish() {
        byte[] key = "beside".getBytes(StandardCharsets.UTF_8);
        long seen = committed.getAsLong();
        long end = System.nanoTime() + window.toNanos();
        boolean last = false;
        while (!last) {
            LockSupport.parkNanos(end - System.nanoTime());
            end += window.toNanos();
            last = publishingStops;
            long now = committed.getAsLong();
            long records = now - seen;
            seen = now;
            if (records > 0) {
                for (long i = 0; i < records; i++) {
                    publisher.send(key, new byte[KafkaFloor.RECORD_BYTES]);
                }
                publisher.commit();
                published.addAndGet(records);
                windows.incrementAndGet();
            }
        }
    }

    private void read() {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaFloor.consumer(client, topic)) {
            while (!readingStops) {
                read.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
            }
        }
    }

    /** Stops both threads if {@link #finish} did not, and closes the publisher. */
    @Override
    public void close() throws InterruptedException {
        publishingStops = true;
        readingStops = true;
        publishing.join(10_000);
        reading.join(10_000);
        publisher.close();
    }
}
