package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.event.Heartbeat;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.event.codec.RecordReader;
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
 * records heartbeats, buffers events per partition until their transaction is whole, and hands batches to an
 * {@link ApplyWorker}, which applies them on a thread of its own while this one takes in what comes next (see
 * {@link #flushIfDue} for when).
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
 * reason, and the progress moves past it in the same transaction (both in {@link ApplyWorker}). Anything else
 * thrown, on the worker too, is thrown on the stream thread when it takes the batch back, and ends in its
 * uncaught exception handler ({@link ApplyService}).
 *
 * <p>One instance per stream task; not thread-safe (Streams calls it from its task's thread only).
 */
final class ApplyProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyProcessor.class);
    private static final long HEARTBEAT_WRITE_MILLIS = 1_000;
    private static final Duration DEAD_LETTER_RETRIES_EVERY = Duration.ofSeconds(1);
    /** How often the stream thread looks whether the worker is done, when no record comes to make it look. */
    private static final Duration WORKER_CHECK_EVERY = Duration.ofMillis(2);
    /** Streams is asked to commit its position after a batch at most this often (see the class comment). */
    private static final long COMMIT_EVERY_MILLIS = 1_000;
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
    private final RecordReader events = new RecordReader(codec);
    private final Map<String, String> peerOfTopic = new HashMap<>();
    private final Map<TopicPartition, TransactionBuffer> buffers = new HashMap<>();
    private final Map<String, Long> heartbeatWrittenAt = new HashMap<>();
    private ProcessorContext<Void, Void> context;
    private ApplyStore store;
    private DeadLetterSink deadLetters;
    private DeadLetterRetrier retrier;
    private ApplyWorker worker;

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
        this.worker = new ApplyWorker(config, tables, connections, peerOfTopic, deadLetterProducer, running, metrics,
                clock, "concord-apply-" + config.dc() + "-worker-" + context.taskId());
        context.schedule(WORKER_CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> flushAll());
        this.retrier = new DeadLetterRetrier(store, codec, peerOfTopic, this::idleApplier);
        context.schedule(DEAD_LETTER_RETRIES_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> retryDeadLetters());
    }

    /** Dead letters people asked to retry, of this task's partition ({@code concord dlq retry}). */
    private void retryDeadLetters() {
        try {
            finishBatch(true); // the retrier applies through the worker's applier: not while the worker does
            retrier.retryRequested(context.taskId().partition());
        } catch (SQLException e) {
            LOG.warn("cannot read the dead letters to retry (trying again in {}): {}", DEAD_LETTER_RETRIES_EVERY,
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying dead letters", e);
        }
    }

    private BatchApplier idleApplier(String peer) {
        return worker.idleApplier(peer);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        TopicPartition partition = new TopicPartition(metadata.topic(), metadata.partition());
        TransactionBuffer buffer = buffers.computeIfAbsent(partition, p -> new TransactionBuffer());
        try {
            finishBatch(false);
            if (!buffer.positioned()) {
                position(partition, buffer, metadata.offset());
            }
            take(partition, buffer, metadata.offset(), record.key(), record.value());
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
                    (ConsumerRecord<byte[], byte[]> r) -> take(partition, buffer, r.offset(), r.key(), r.value()));
        }
    }

    /** Takes in one record of a peer's topic. */
    private void take(TopicPartition partition, TransactionBuffer buffer, long offset, byte[] key, byte[] value)
            throws InterruptedException {
        if (offset < buffer.nextOffset) {
            return; // applied already
        }
        buffer.nextOffset = offset + 1;
        SpecificRecord decoded;
        try {
            decoded = events.decode(value);
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
            }
            flushIfDue(partition, buffer);
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

    /** The timer: hands the worker what became ready while it was busy, once it is done. */
    private void flushAll() {
        try {
            finishBatch(false);
            for (Map.Entry<TopicPartition, TransactionBuffer> entry : buffers.entrySet()) {
                flushIfDue(entry.getKey(), entry.getValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying", e);
        }
    }

    /**
     * Hands the buffer's whole transactions to the worker once it is free and they have waited
     * {@code apply.max-batch-delay} (0 by default) for more to join them; a full batch ({@code apply.batch-size})
     * goes at once, waiting for the worker if it is busy, which keeps at most one batch buffered beside the one in
     * hand. So batches grow with the load, to what arrived while the previous one was being applied, and a lone
     * transaction starts as soon as the worker is free: the adaptive batching of a group commit.
     */
    private void flushIfDue(TopicPartition partition, TransactionBuffer buffer) throws InterruptedException {
        int ready = buffer.ready();
        if (ready == 0) {
            return;
        }
        buffer.noteReady(clock.millis());
        boolean full = ready >= config.apply().batchSize();
        if (!full && (!finishBatch(false)
                || !buffer.readyFor(config.apply().maxBatchDelay().toMillis(), clock.millis()))) {
            return; // the timer, or the next record, looks again
        }
        finishBatch(true);
        List<BatchApplier.RemoteEvent> batch = buffer.take();
        worker.start(partition, batch);
    }

    /**
     * Takes back the batch in the worker's hand if it is done (or, with {@code wait}, once it is): drops what was
     * applied from its buffer and asks Streams to commit if due.
     *
     * @return whether the worker is free now
     */
    private boolean finishBatch(boolean wait) throws InterruptedException {
        ApplyWorker.Finished done = worker.finish(wait);
        if (done != null) {
            TransactionBuffer buffer = buffers.get(done.partition());
            if (done.applied()) {
                buffer.drop(done.events());
                if (clock.millis() - lastCommitMillis >= COMMIT_EVERY_MILLIS) {
                    context.commit();
                    lastCommitMillis = clock.millis();
                }
            } else {
                buffer.giveBack(); // the topology is stopping: read again after the restart
            }
        }
        return !worker.holding();
    }

    /** Runs {@code work}, again after retryable failures (with backoff) for as long as the topology runs. */
    private <T> T retrying(String what, ApplyWorker.SqlWork<T> work) throws InterruptedException {
        return ApplyWorker.retrying(what, running, work);
    }

    /** Stops the worker (a batch in hand is left unapplied, read again after the restart), then the store. */
    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
