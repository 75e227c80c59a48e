package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.event.Heartbeat;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.DeadLetterStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the peers' change topics in, record by record, and hands whole source transactions to the peer's
 * {@link BatchApplier}: decodes, sets aside what cannot be decoded, drops this DC's own events (a loop),
 * records heartbeats, buffers events per partition until their transaction is whole, and applies a batch
 * once it holds {@code apply.batch-size} events or {@code apply.max-batch-delay} passed.
 *
 * <h2>Offsets never get ahead of PostgreSQL</h2>
 * Kafka Streams commits the offsets of every record {@link #process} returned from — on rebalance, on
 * close, and whenever asked — while the last of those records may still sit in a buffer, not applied. So
 * Streams' committed offset is only where reading resumes, never what was applied. What was applied is
 * {@code concord.apply_progress}, written by {@link BatchApplier} in the same PostgreSQL transaction as
 * the rows (and by {@link ApplyStore} with the dead letters of a batch that failed for good). Hence:
 * <ul>
 *   <li>the first record of a partition this processor sees is compared with the partition's
 *       {@code next_offset}: if Streams resumed beyond it, the gap is read first with a plain consumer
 *       ({@link GapReader}) and taken in as if Streams had delivered it;</li>
 *   <li>records below {@code next_offset} are skipped: applied already (and harmless anyway, the version
 *       check skips them);</li>
 *   <li>{@code commit.interval.ms} is very large and {@link ProcessorContext#commit()} is requested after an
 *       applied batch, at most once a second ({@value #COMMIT_EVERY_MILLIS} ms), so that Streams' position follows
 *       PostgreSQL's roughly — an economy, not a rule: each commit is an offset commit on the broker, and a
 *       commit per batch (dozens a second under a steady stream) cost the broker more CPU than the fetches did.</li>
 * </ul>
 * The buffers are never flushed on close: whatever they held is read again after the restart.
 *
 * <h2>Failures</h2>
 * A batch that fails retryably is tried again with backoff, never skipped; when the topology is stopping,
 * it is left unapplied (read again later). A batch that fails for good becomes dead letters with the
 * reason, and the progress moves past it in the same transaction. Anything else thrown ends in the stream
 * thread's uncaught exception handler ({@link ApplyService}).
 *
 * <p>One instance per stream task; not thread-safe (Streams calls it from its task's thread only).
 */
final class ApplyProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyProcessor.class);
    private static final long HEARTBEAT_WRITE_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final Duration CAPTURE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEAD_LETTER_RETRIES_EVERY = Duration.ofSeconds(1);
    /** A record published less than this long ago is at the head of its topic (see atTheHead). */
    private static final long HEAD_MILLIS = 50;
    /** Streams is asked to commit its position after a batch at most this often (see the class comment). */
    private static final long COMMIT_EVERY_MILLIS = 1_000;
    /** When the last batch started (clock millis). */
    private long lastFlushMillis;
    /** When Streams was last asked to commit (clock millis). */
    private long lastCommitMillis;

    private final ConcordConfig config;
    private final ApplyTables tables;
    private final BatchApplier.ConnectionSource connections;
    private final Producer<byte[], byte[]> deadLetterProducer;
    private final GapReader gapReader;
    private final BooleanSupplier running;
    private final ApplyMetrics metrics;
    private final Clock clock;
    private final EventCodec codec = new EventCodec();
    private final Map<String, String> peerOfTopic = new HashMap<>();
    private final Map<TopicPartition, TransactionBuffer> buffers = new HashMap<>();
    private final Map<String, BatchApplier> appliers = new HashMap<>();
    private final Map<String, Long> heartbeatWrittenAt = new HashMap<>();
    private ProcessorContext<Void, Void> context;
    private ApplyStore store;
    private DeadLetterSink deadLetters;
    private DeadLetterRetrier retrier;

    ApplyProcessor(ConcordConfig config, ApplyTables tables, BatchApplier.ConnectionSource connections,
            Producer<byte[], byte[]> deadLetterProducer, GapReader gapReader, BooleanSupplier running,
            ApplyMetrics metrics, Clock clock) {
        this.config = config;
        this.tables = tables;
        this.connections = connections;
        this.deadLetterProducer = deadLetterProducer;
        this.gapReader = gapReader;
        this.running = running;
        this.metrics = metrics;
        this.clock = clock;
        config.sources().forEach(peer -> peerOfTopic.put(config.topics().changes(peer), peer));
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = new ApplyStore(connections);
        this.deadLetters = new DeadLetterSink(config.dc(), config.topics().deadLetters(config.dc()), store,
                deadLetterProducer, codec, clock);
        Duration every = config.apply().maxBatchDelay().compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10)
                : config.apply().maxBatchDelay();
        context.schedule(every, PunctuationType.WALL_CLOCK_TIME, now -> flushAll());
        this.retrier = new DeadLetterRetrier(store, codec, peerOfTopic, this::applier);
        context.schedule(DEAD_LETTER_RETRIES_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> retryDeadLetters());
    }

    /** Dead letters people asked to retry, of this task's partition ({@code concord dlq retry}). */
    private void retryDeadLetters() {
        try {
            retrier.retryRequested(context.taskId().partition());
        } catch (SQLException e) {
            LOG.warn("cannot read the dead letters to retry (trying again in {}): {}", DEAD_LETTER_RETRIES_EVERY,
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying dead letters", e);
        }
    }

    private BatchApplier applier(String peer) {
        return appliers.computeIfAbsent(peer, p -> new BatchApplier(config, p, tables, connections, CAPTURE_TIMEOUT,
                metrics.phases()));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        TopicPartition partition = new TopicPartition(metadata.topic(), metadata.partition());
        TransactionBuffer buffer = buffers.computeIfAbsent(partition, p -> new TransactionBuffer());
        try {
            if (!buffer.positioned()) {
                position(partition, buffer, metadata.offset());
            }
            take(partition, buffer, metadata.offset(), record.timestamp(), record.key(), record.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying " + partition + "@" + metadata.offset(), e);
        }
    }

    /** The first record of a partition since start: skip what was applied, read what Streams skipped. */
    private void position(TopicPartition partition, TransactionBuffer buffer, long offset) throws InterruptedException {
        long next = retrying("reading the apply progress of " + partition,
                () -> store.nextOffset(partition.topic(), partition.partition()));
        buffer.nextOffset = next;
        if (offset > next) {
            LOG.info("apply of {} resumes at {} where PostgreSQL has applied up to {}: reading the gap first",
                    partition, offset, next);
            gapReader.read(partition, next, offset,
                    (ConsumerRecord<byte[], byte[]> r) -> take(partition, buffer, r.offset(), Long.MIN_VALUE, r.key(),
                            r.value()));
        }
    }

    /**
     * Takes in one record of a peer's topic.
     *
     * @param published when the record was published (its Kafka timestamp, by the publisher's clock)
     */
    private void take(TopicPartition partition, TransactionBuffer buffer, long offset, long published, byte[] key,
            byte[] value) throws InterruptedException {
        if (offset < buffer.nextOffset) {
            return; // applied already
        }
        buffer.nextOffset = offset + 1;
        SpecificRecord decoded;
        try {
            decoded = codec.decode(value);
        } catch (EventDecodingException e) {
            String errorClass = e.kind() == EventDecodingException.Kind.UNKNOWN_SCHEMA ? "UNKNOWN_SCHEMA" : "DECODE";
            setAside(partition, offset, key, value, errorClass, "record " + partition + "@" + offset
                    + " cannot be decoded: " + e.getMessage());
            return;
        }
        if (decoded instanceof ChangeEvent event) {
            String misplaced = event.getOrigin().equals(config.dc()) ? null : misplaced(partition.topic(), event);
            if (misplaced != null) {
                setAside(partition, offset, key, value, "PROVENANCE", misplaced);
            } else if (event.getOrigin().equals(config.dc())) {
                metrics.loopDropped();
                buffer.boundary(event);
            } else {
                buffer.add(new BatchApplier.RemoteEvent(event, offset));
                buffer.arrived(clock.millis());
            }
            if (buffer.whole() >= config.apply().batchSize() || buffer.whole() > 0 && atTheHead(published)
                    && clock.millis() - lastFlushMillis >= config.apply().maxBatchDelay().toMillis()) {
                flush(partition, buffer);
            }
        } else if (decoded instanceof Heartbeat heartbeat) {
            buffer.heartbeat(heartbeat.getDc());
            heartbeat(heartbeat, buffer.isEmpty() ? new ApplyStore.Progress(partition.topic(), partition.partition(),
                    peerOfTopic.get(partition.topic()), offset + 1, heartbeat.getCaptureLsn()) : null);
        } else {
            setAside(partition, offset, key, value, "UNEXPECTED_RECORD", "record " + partition + "@" + offset
                    + " is a " + decoded.getSchema().getName() + ", which does not belong on a changes topic");
        }
    }

    /**
     * Why an event does not belong on {@code topic}, or null if it does. Only a DC's own capture publishes on its
     * topic, and only a forwarding DC (star hub, ring) publishes other DCs' writes there: an event claiming
     * otherwise was written by something else (a misrouted mirror, a broken or hostile producer) and must not
     * teach this DC versions in another DC's name. Kafka ACLs on the topics are what keeps others out; this
     * check keeps what got in from being applied. Events of this DC's own origin are dropped as loops before.
     */
    private String misplaced(String topic, ChangeEvent event) {
        String peer = peerOfTopic.get(topic);
        if (peer == null) {
            return null; // not a peer's changes topic (never subscribed): nothing to hold it against
        }
        if (!peer.equals(event.getPublishedBy())) {
            return "event " + event.getEventId() + " on " + topic + " says it was published by '"
                    + event.getPublishedBy() + "'; only DC " + peer + " publishes there";
        }
        if (!peer.equals(event.getOrigin()) && !config.forwards(peer)) {
            return "event " + event.getEventId() + " on " + topic + " has origin '" + event.getOrigin() + "', but DC "
                    + peer + " forwards nothing in a " + config.topology().type().name().toLowerCase(Locale.ROOT)
                    + " topology: only its own writes belong there";
        }
        return null;
    }

    private void setAside(TopicPartition partition, long offset, byte[] key, byte[] value, String errorClass,
            String reason) throws InterruptedException {
        LOG.warn("dead letter: {}", reason);
        DeadLetterStore.DeadLetter letter = new DeadLetterStore.DeadLetter(errorClass, reason, partition.topic(),
                partition.partition(), offset, null, key, value);
        retrying("recording the dead letter of " + partition + "@" + offset, () -> {
            deadLetters.record(List.of(letter), Arrays.asList(key), null);
            return null;
        });
        metrics.deadLetters(1);
    }

    /**
     * At most one write per peer and second (heartbeats come often, from every peer), but always one with
     * {@code progress}: when nothing before the heartbeat waits in the buffer, the position moves past heartbeats
     * and transaction markers, so that status can tell how many events are really still to apply.
     */
    private void heartbeat(Heartbeat heartbeat, ApplyStore.Progress progress) {
        if (!heartbeat.getDc().equals(config.dc())) {
            metrics.heartbeat(heartbeat.getDc(), heartbeat.getTimeMicros());
        }
        long now = clock.millis();
        Long last = heartbeatWrittenAt.get(heartbeat.getDc());
        boolean due = last == null || now - last >= HEARTBEAT_WRITE_MILLIS;
        if (heartbeat.getDc().equals(config.dc()) || !due && progress == null) {
            return;
        }
        heartbeatWrittenAt.put(heartbeat.getDc(), now);
        try {
            store.heartbeat(heartbeat.getDc(), heartbeat.getTimeMicros(), heartbeat.getCaptureLsn(),
                    now - heartbeat.getTimeMicros() / 1_000, progress);
        } catch (SQLException e) {
            LOG.warn("cannot record the heartbeat of {}: {}", heartbeat.getDc(), e.getMessage());
        }
    }

    /**
     * Whether a record published at {@code published} was published so recently ({@value #HEAD_MILLIS} ms) that
     * little can be waiting behind it: then its whole transactions are applied at once rather than when the batch
     * timer fires, unless a batch started less than {@code apply.max-batch-delay} ago (at most one such early
     * batch per delay: under a steady stream every transaction would otherwise be a batch of its own, each
     * paying the fixed cost of a batch, and apply would fall behind). Behind, records are older, and batches
     * fill up (to {@code apply.batch-size}, or for {@code apply.max-batch-delay}); a batch that takes long ages
     * the records after it, so batches grow while apply cannot keep up. The age is read against this host's
     * clock: a publisher whose clock runs behind only makes records look late, and batches are then cut by
     * size and timer alone, as they were before this rule.
     */
    private boolean atTheHead(long published) {
        return clock.millis() - published < HEAD_MILLIS;
    }

    /**
     * The timer's flush: only buffers whose oldest event has waited {@code apply.max-batch-delay}. Flushing
     * whatever is there each time the timer fires would, during a backlog, apply one transaction per batch: a
     * batch takes longer than the timer's period, Streams then takes in one record per loop, and the timer is
     * always due.
     */
    private void flushAll() {
        long now = clock.millis();
        long delay = config.apply().maxBatchDelay().toMillis();
        try {
            for (Map.Entry<TopicPartition, TransactionBuffer> entry : buffers.entrySet()) {
                if (entry.getValue().whole() > 0 && entry.getValue().waitedAtLeast(delay, now)) {
                    flush(entry.getKey(), entry.getValue());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying", e);
        }
    }

    /** Applies the buffer's whole transactions in one local transaction, then asks Streams to commit if due. */
    private void flush(TopicPartition partition, TransactionBuffer buffer) throws InterruptedException {
        lastFlushMillis = clock.millis();
        List<BatchApplier.RemoteEvent> batch = buffer.wholeTransactions();
        if (applyOrSetAside(partition, batch, true)) {
            buffer.drop(batch.size());
            if (clock.millis() - lastCommitMillis >= COMMIT_EVERY_MILLIS) {
                context.commit();
                lastCommitMillis = clock.millis();
            }
        }
    }

    /**
     * Applies the events, trying again after retryable failures. After a permanent failure a batch of several
     * transactions is applied one transaction at a time, so that only the one that fails becomes dead letters.
     *
     * @return false if the events were left unapplied because the topology is stopping
     */
    private boolean applyOrSetAside(TopicPartition partition, List<BatchApplier.RemoteEvent> batch, boolean split)
            throws InterruptedException {
        String peer = peerOfTopic.get(partition.topic());
        BatchApplier applier = applier(peer);
        long lastOffset = batch.get(batch.size() - 1).offset();
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                long started = System.nanoTime();
                BatchApplier.Outcome outcome = applier.apply(partition.topic(), partition.partition(), batch);
                metrics.batch(outcome, batch.size(), System.nanoTime() - started);
                if (!outcome.letters().isEmpty()) {
                    deadLetters.publish(outcome.letters());
                }
                return true;
            } catch (ApplyException e) {
                if (!e.retryable()) {
                    List<List<BatchApplier.RemoteEvent>> transactions = split ? TransactionBuffer.transactions(batch)
                            : List.of(batch);
                    if (transactions.size() > 1) {
                        LOG.warn("batch of {} up to {}@{} failed for good, applying its {} transactions one by one: {}",
                                peer, partition, lastOffset, transactions.size(), e.getMessage());
                        for (List<BatchApplier.RemoteEvent> transaction : transactions) {
                            if (!applyOrSetAside(partition, transaction, false)) {
                                return false;
                            }
                        }
                        return true;
                    }
                    LOG.error("transaction of {} up to {}@{} failed for good; its {} events become dead letters: {}",
                            peer, partition, lastOffset, batch.size(), e.getMessage(), e);
                    setAside(partition, peer, batch, e);
                    return true;
                }
                if (!running.getAsBoolean()) {
                    return false; // read again from concord.apply_progress after the restart
                }
                metrics.retry();
                LOG.warn("batch of {} up to {}@{} failed (attempt {}), retrying in {} ms: {}", peer, partition,
                        lastOffset, attempt, backoff, e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private void setAside(TopicPartition partition, String peer, List<BatchApplier.RemoteEvent> batch,
            ApplyException failure) throws InterruptedException {
        List<DeadLetterStore.DeadLetter> letters = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (BatchApplier.RemoteEvent remote : batch) {
            ChangeEvent event = remote.event();
            letters.add(new DeadLetterStore.DeadLetter("APPLY", "event " + event.getEventId() + " of " + peer
                    + " in a batch that cannot be applied: " + failure.getMessage(), partition.topic(),
                    partition.partition(), remote.offset(), event.getTable().getSchema$() + "." + event.getTable()
                    .getName(), null, codec.encode(event)));
            keys.add(null);
        }
        BatchApplier.RemoteEvent last = batch.get(batch.size() - 1);
        ApplyStore.Progress progress = new ApplyStore.Progress(partition.topic(), partition.partition(), peer,
                last.offset() + 1, last.event().getSource().getCommitLsn());
        retrying("recording the dead letters of " + partition + " up to " + last.offset(), () -> {
            deadLetters.record(letters, keys, progress);
            return null;
        });
        metrics.deadLetters(letters.size());
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work}, again after retryable failures (with backoff) for as long as the topology runs. */
    private <T> T retrying(String what, SqlWork<T> work) throws InterruptedException {
        long backoff = 100;
        while (true) {
            try {
                return work.run();
            } catch (SQLException e) {
                if (!ApplyException.isRetryable(e) || !running.getAsBoolean()) {
                    throw new IllegalStateException(what + ": " + e.getMessage(), e);
                }
                LOG.warn("{} failed, retrying in {} ms: {}", what, backoff, e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    @Override
    public void close() {
        appliers.values().forEach(BatchApplier::close);
        appliers.clear();
        if (store != null) {
            store.close();
        }
    }
}
