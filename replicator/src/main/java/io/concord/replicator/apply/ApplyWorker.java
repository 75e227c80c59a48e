package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.event.codec.EventCodec;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.DeadLetterStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one stream task's batches on a thread of its own, one batch at a time, while the stream thread goes on
 * decoding and buffering what comes next. Before, the stream thread applied each batch itself: PostgreSQL and
 * the decoding of the next records took turns, and on two cores one of them always idled.
 *
 * <p>Only the stream thread calls it, and it hands over a batch only once the previous one is {@linkplain #finish
 * finished}: so batches of a partition are applied in order, each {@link BatchApplier} (one connection, one
 * replication origin) is used by one thread at a time, and the stream thread may use an applier itself
 * ({@link #idleApplier}) once it has waited for the batch in hand. The worker records its dead letters through a
 * store and a sink of its own (their connections are not shared between threads).
 *
 * <p>What it does with a batch is what the stream thread did: retryable failures are tried again with backoff for
 * as long as the topology runs; a batch that fails for good is applied one source transaction at a time, and the
 * transaction that fails becomes dead letters, with the progress moved past it in the same transaction.
 *
 * <h2>Parts applied side by side ({@code apply.sessions})</h2>
 * One session applies a batch's rows one statement after another, and the worker and its backend take turns: a
 * backlog is applied at the speed of one core. So a large batch is cut into parts ({@link BatchParts}: consecutive
 * whole transactions; a row an earlier part changes too is settled by the later part only once the part before it
 * committed), and each part after the first is applied at the same time on a session of its own
 * ({@link BatchApplier#applyAfter}), which commits only after the part before it. The first part is
 * applied here as any batch is; a later part that cannot be applied that way (the part before it failed or waited
 * on one of its rows, a row was refused) commits nothing, and it and the parts after it are applied here, the
 * ordinary way, once the parts before them are done. Committed parts are thus always a prefix of the batch.
 */
final class ApplyWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyWorker.class);
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final Duration CAPTURE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a close waits for the batch in hand to end (a batch in a retry loop ends when told to stop). */
    private static final long CLOSE_WAIT_SECONDS = 30;
    /** The fewest events a part of a batch may hold: below, a session's fixed cost per batch outweighs the gain. */
    static final int MIN_PART_EVENTS = 500;
    /**
     * How long a later part, its work done, waits for the part before it to commit. It holds its rows meanwhile, and
     * the part before it may be waiting for one of them (a UNIQUE value, a parent row), which no deadlock detector
     * sees: after this it lets go, and is applied again once the part before it is done.
     */
    static final Duration PREDECESSOR_WAIT = Duration.ofSeconds(5);

    /** A batch handed to the worker: true once applied, false if left because the topology is stopping. */
    private record Handed(TopicPartition partition, int events, Future<Boolean> applied) {
    }

    /** A batch the worker is done with: its partition, its size, and whether it was applied (else left unapplied). */
    record Finished(TopicPartition partition, int events, boolean applied) {
    }

    private final ConcordConfig config;
    private final ApplyTables tables;
    private final BatchApplier.ConnectionSource connections;
    private final Map<String, String> peerOfTopic;
    private final BooleanSupplier running;
    private final ApplyMetrics metrics;
    private final EventCodec codec = new EventCodec();
    /** By peer and session ({@link #applier}). */
    private final Map<String, BatchApplier> appliers = new ConcurrentHashMap<>();
    private final ApplyStore store;
    private final DeadLetterSink deadLetters;
    private final ExecutorService thread;
    /** The threads of sessions 1 and up, each applying the later parts of batches on its own applier. */
    private final List<ExecutorService> sessionThreads = new ArrayList<>();
    private Handed handed;

    ApplyWorker(ConcordConfig config, ApplyTables tables, BatchApplier.ConnectionSource connections,
            Map<String, String> peerOfTopic, Producer<byte[], byte[]> deadLetterProducer, BooleanSupplier running,
            ApplyMetrics metrics, Clock clock, String name) {
        this.config = config;
        this.tables = tables;
        this.connections = connections;
        this.peerOfTopic = peerOfTopic;
        this.running = running;
        this.metrics = metrics;
        this.store = new ApplyStore(connections);
        this.deadLetters = new DeadLetterSink(config.dc(), config.topics().deadLetters(config.dc()), store,
                deadLetterProducer, codec, clock);
        this.thread = daemonThread(name);
        for (int session = 1; session < config.apply().sessions(); session++) {
            sessionThreads.add(daemonThread(name + "-session-" + session));
        }
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread worker = new Thread(runnable, name);
            worker.setDaemon(true);
            return worker;
        });
    }

    /** Whether a batch was handed over and not {@linkplain #finish finished} yet. */
    boolean holding() {
        return handed != null;
    }

    /** Starts applying {@code batch}, whole source transactions of {@code partition} in offset order. */
    void start(TopicPartition partition, List<BatchApplier.RemoteEvent> batch) {
        if (handed != null) {
            throw new IllegalStateException("a batch of " + handed.partition() + " is still in hand");
        }
        // Cut here: the stream thread has time while the worker applies.
        List<BatchParts.Part> parts = BatchParts.of(batch, sessionThreads.size() + 1, MIN_PART_EVENTS,
                !config.forwardsAppliedChanges());
        handed = new Handed(partition, batch.size(), thread.submit(() -> parts.size() == 1
                ? applyOrSetAside(partition, batch, true) : applyInParts(partition, batch, parts)));
    }

    /**
     * The batch handed over, once the worker is done with it: null if none was handed over, or (unless
     * {@code wait}) if it is still being applied. A failure of the worker is thrown here, on the stream thread, as
     * if the stream thread had failed applying it.
     */
    Finished finish(boolean wait) throws InterruptedException {
        if (handed == null || !wait && !handed.applied().isDone()) {
            return null;
        }
        Handed done = handed;
        try {
            boolean applied = done.applied().get(); // an interrupt here leaves the batch in hand
            handed = null;
            return new Finished(done.partition(), done.events(), applied);
        } catch (ExecutionException e) {
            handed = null;
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("applying a batch of " + done.partition() + " failed", e.getCause());
        }
    }

    /**
     * The applier of {@code peer}, for the stream thread to use itself: call only when nothing is in hand
     * ({@link #holding()} false), so that the worker does not use it meanwhile.
     */
    BatchApplier idleApplier(String peer) {
        if (handed != null) {
            throw new IllegalStateException("the worker holds a batch of " + handed.partition());
        }
        return applier(peer);
    }

    private BatchApplier applier(String peer) {
        return applier(peer, 0);
    }

    private BatchApplier applier(String peer, int session) {
        return appliers.computeIfAbsent(peer + "#" + session, key -> new BatchApplier(config, peer, session, tables,
                connections, CAPTURE_TIMEOUT, metrics.phases()));
    }

    /**
     * Applies the parts side by side: the first here, each later one on its session's thread, committed in order;
     * what those could not commit is applied here afterwards (see the type's doc).
     *
     * @return false if the events were left unapplied because the topology is stopping
     */
    private boolean applyInParts(TopicPartition partition, List<BatchApplier.RemoteEvent> batch,
            List<BatchParts.Part> parts) throws InterruptedException {
        String peer = peerOfTopic.get(partition.topic());
        List<CompletableFuture<Boolean>> committed = new ArrayList<>();
        parts.forEach(part -> committed.add(new CompletableFuture<>()));
        List<Future<BatchApplier.Outcome>> later = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) {
            int session = i;
            List<BatchApplier.RemoteEvent> part = parts.get(i).events();
            List<BatchApplier.RemoteEvent> before = parts.get(i - 1).events();
            BatchApplier.Predecessor predecessor = new BatchApplier.Predecessor(committed.get(i - 1),
                    before.get(before.size() - 1).offset() + 1, PREDECESSOR_WAIT, parts.get(i).sharedWithEarlier());
            later.add(sessionThreads.get(i - 1).submit(() -> {
                boolean done = false;
                try {
                    long started = System.nanoTime();
                    BatchApplier.Outcome outcome = applier(peer, session).applyAfter(partition.topic(),
                            partition.partition(), part, predecessor);
                    metrics.batch(outcome, part.size(), System.nanoTime() - started);
                    done = true;
                    return outcome;
                } catch (BatchApplier.Abandoned e) {
                    LOG.debug("part {} of a batch of {} up to {}@{} left to the first session: {}", session + 1, peer,
                            partition, part.get(part.size() - 1).offset(), e.getMessage());
                    return null;
                } finally {
                    committed.get(session).complete(done);
                }
            }));
        }
        boolean firstApplied = false;
        try {
            firstApplied = applyOrSetAside(partition, parts.get(0).events(), true);
        } finally {
            committed.get(0).complete(firstApplied); // on a failure, the later parts give up at once
        }
        // Committed parts are a prefix: find where it ends, publishing their dead letters.
        int rest = parts.size();
        for (int i = 1; i < parts.size(); i++) {
            BatchApplier.Outcome outcome = outcomeOf(later.get(i - 1));
            if (outcome == null) {
                rest = Math.min(rest, i);
            } else if (!outcome.letters().isEmpty()) {
                deadLetters.publish(outcome.letters());
            }
        }
        if (!firstApplied) {
            return false;
        }
        if (rest == parts.size()) {
            return true;
        }
        metrics.partsReapplied(parts.size() - rest);
        int from = 0;
        for (int i = 0; i < rest; i++) {
            from += parts.get(i).events().size();
        }
        return applyOrSetAside(partition, batch.subList(from, batch.size()), true);
    }

    /** What a later part's session did: null if it committed nothing. */
    private static BatchApplier.Outcome outcomeOf(Future<BatchApplier.Outcome> part) throws InterruptedException {
        try {
            return part.get();
        } catch (ExecutionException e) {
            LOG.warn("a later part of a batch failed on its session; applying it on the first: {}", e.getCause(),
                    e.getCause());
            return null;
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
        retrying("recording the dead letters of " + partition + " up to " + last.offset(), running, () -> {
            deadLetters.record(letters, keys, progress);
            return null;
        });
        metrics.deadLetters(letters.size());
    }

    /** SQL work that may be tried again. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work}, again after retryable failures (with backoff) for as long as {@code running} holds. */
    static <T> T retrying(String what, BooleanSupplier running, SqlWork<T> work) throws InterruptedException {
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

    /**
     * Stops the thread (interrupting a batch in a retry's backoff) and waits for it, then closes the appliers and
     * the store. A batch cut short commits nothing; what was handed over and not applied is read again after the
     * restart, from {@code concord.apply_progress}. A worker stuck longer than the wait (a PostgreSQL call that
     * does not return: an interrupt does not end a socket read) has its connections closed under it; until then
     * it holds the peer's replication origin, and the next owner of the partition is refused it and retries.
     */
    @Override
    public void close() {
        thread.shutdownNow();
        sessionThreads.forEach(ExecutorService::shutdownNow);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
            List<ExecutorService> all = new ArrayList<>(sessionThreads);
            all.add(0, thread);
            for (ExecutorService executor : all) {
                if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("the apply worker did not stop within {} s; closing its connections under it",
                            CLOSE_WAIT_SECONDS);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        appliers.values().forEach(BatchApplier::close);
        appliers.clear();
        store.close();
    }
}
