package io.concord.replicator.publish;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes one DC's events to its changes topic in Kafka transactions, under a transactional
 * id that is stable per DC ({@code concord-capture-<dc>}).
 *
 * <p>Why transactions: two instances configured for the same DC may both believe they are
 * active (a paused process, a partition). The instance that calls {@link #open()} last bumps
 * the producer epoch and Kafka rejects the other's writes with {@link ProducerFencedException};
 * whatever the zombie sent in its open transaction is aborted and never reaches a
 * {@code read_committed} consumer. Receivers therefore never see two versions of one change.
 *
 * <p>{@link #commit()} returns only after Kafka has acknowledged every record of the batch:
 * capture confirms the slot's LSN only after that (see the capture loop).
 */
public final class TransactionalPublisher implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private boolean inTransaction;

    public TransactionalPublisher(Properties clientProperties, String dc, String topic) {
        this.topic = topic;
        Properties properties = producerProperties(clientProperties);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "concord-capture-" + dc);
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Capture's producer settings over the client's, without the transactional id: idempotent, every record
     * acknowledged by all in-sync replicas, one request in flight. Public for the bench, which measures the same
     * producer without transactions.
     */
    public static Properties producerProperties(Properties clientProperties) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // With several requests in flight, a batch refused with NOT_LEADER on a topic created a moment
        // earlier can be overtaken by the next one, and its retries then fail OUT_OF_ORDER_SEQUENCE
        // until the delivery timeout (KAFKA-15591; seen here in a test producer). Capture creates its topic
        // and writes at once; its commit would fail and it would replay safely, but only after minutes.
        // One request in flight avoids it.
        properties.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
        properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        properties.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 * 1024 * 1024));
        return properties;
    }

    /** Registers the transactional id, fencing any earlier instance of this DC. */
    public void open() {
        producer.initTransactions();
    }

    /** A publisher {@link #open() opened} already; closed again if it cannot open (its producer's threads). */
    public static TransactionalPublisher opened(Properties clientProperties, String dc, String topic) {
        TransactionalPublisher publisher = new TransactionalPublisher(clientProperties, dc, topic);
        try {
            publisher.open();
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        return publisher;
    }

    public void send(byte[] key, byte[] value) {
        if (!inTransaction) {
            guard(producer::beginTransaction);
            inTransaction = true;
        }
        guard(() -> producer.send(new ProducerRecord<>(topic, 0, key, value)));
    }

    /** Commits the open transaction; returns after every record in it is acknowledged. */
    public void commit() {
        if (inTransaction) {
            guard(producer::commitTransaction);
            inTransaction = false;
        }
    }

    /** Aborts the open transaction, if any (receivers never see its records). */
    public void abort() {
        if (inTransaction) {
            inTransaction = false;
            guard(producer::abortTransaction);
        }
    }

    private void guard(Runnable action) {
        try {
            action.run();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new CaptureFencedException("another instance took over publishing to " + topic
                    + " (transactional id fenced): this one stops", e);
        } catch (KafkaException e) {
            if (e.getCause() instanceof ProducerFencedException) {
                throw new CaptureFencedException("another instance took over publishing to " + topic, e);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
