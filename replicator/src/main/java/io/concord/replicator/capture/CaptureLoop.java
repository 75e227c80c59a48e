package io.concord.replicator.capture;

import io.concord.event.AppliedBatch;
import io.concord.event.ChangeEvent;
import io.concord.event.Heartbeat;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.replicator.capture.pgoutput.Begin;
import io.concord.replicator.capture.pgoutput.Commit;
import io.concord.replicator.capture.pgoutput.LogicalMessage;
import io.concord.replicator.capture.pgoutput.Origin;
import io.concord.replicator.capture.pgoutput.RowChange;
import io.concord.replicator.capture.pgoutput.Truncate;
import io.concord.replicator.publish.TransactionalPublisher;
import io.concord.replicator.store.CaptureProgressStore;
import io.concord.replicator.store.DeadLetterStore;
import io.concord.replicator.store.RowKey;
import io.concord.replicator.store.RowStateStore;
import io.concord.replicator.store.StoredRowState;
import io.concord.version.DcId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the slot, versions local changes and publishes them, one batch at a time.
 *
 * <p>Each batch goes through these steps, in this order, and the order is what makes a crash
 * anywhere safe:
 * <ol>
 *   <li>version the batch's changes in WAL order from the stored row states;</li>
 *   <li>publish the events in one Kafka transaction and wait until Kafka acknowledged all of them;</li>
 *   <li>persist the new row states and the progress (last whole transaction, clock) in one
 *       PostgreSQL transaction, fenced by this instance's epoch; each state only over the one it was
 *       computed from;</li>
 *   <li>only then confirm the slot's flushed LSN, up to the last whole transaction, once step 3's commit is
 *       on disk.</li>
 * </ol>
 * The slot never moves past a change that is not on Kafka, so nothing committed is lost; a
 * crash before step 3 replays WAL into the same versions (see {@link ChangeVersioner}), so what
 * is published twice is identical.
 *
 * <p>Step 3 commits with {@code synchronous_commit = off} (set for capture's session, {@link
 * io.concord.replicator.store.SessionOptions}): the commit is visible at once and reaches disk with the next WAL
 * flush, the WAL writer's or any synchronous commit's — capture does not wait for an fsync of its own in every
 * batch. A crash of PostgreSQL that loses such a commit is a crash before step 3, for the last few batches instead
 * of one, which is why step 4 waits until the flushed WAL covers the commit ({@link DurableConfirms}). Whatever
 * saw the lost states (apply on this DC, reading them) committed after them in the same WAL and is lost with them.
 *
 * <p>Apply stores the states of the rows it settles, in its own transactions. Capture reads a row's
 * state when a batch first needs it; if apply stores one after that read and before the batch's states
 * are saved (a local insert of a key apply found absent and could not lock commits while the apply
 * transaction runs; or apply's commit is not yet visible when capture reads), the batch's state of that
 * row would replace one it never saw. Step 3 therefore stores each state only over the one it was
 * computed from; when one moved, the Kafka transaction is aborted, nothing is saved or confirmed, and
 * capture starts over from the slot ({@link RowStateMovedException}): the local write is versioned
 * again on top of apply's state, as a write after it — which it is, as far as this database shows (the
 * row is the local write's, whatever apply decided without seeing it).
 */
final class CaptureLoop {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureLoop.class);
    /** How long capture waits for the states of a committed apply transaction to become visible. */
    private static final Duration APPLIED_STATES_WAIT = Duration.ofSeconds(30);

    /** Changes from Concord's own apply carry a replication origin with this prefix. */
    static final String APPLY_ORIGIN_PREFIX = "concord_";
    /** Changes committed longer ago than this are a backlog, read into full batches (see {@link #run}). */
    static final long BACKLOG_AGE_MICROS = 250_000;
    /** Changes with every apply transaction committed on this database (see {@link #readStates}). */
    private static final String APPLIED_MARK =
            "SELECT coalesce(sum(xmin::text::bigint), 0) FROM concord.apply_progress";
    /** A readPending that returned nothing sooner than this did not wait on the socket (see {@link #run}). */
    private static final long IDLE_READ_WAITED_NANOS = 500_000;
    /**
     * How often the WAL's flushed position is read while a confirmation waits for it and no batch saves progress
     * (which reads it in the same statement): the WAL writer flushes every {@code wal_writer_delay}, 200 ms.
     */
    private static final long FLUSH_CHECK_MILLIS = 20;

    private final DcId dc;
    private final CapturedTables tables;
    private final Connection state;
    private final RowStateStore rowStates;
    private final CaptureProgressStore progressStore;
    private final TransactionalPublisher publisher;
    private final EventCodec codec;
    private final CaptureSettings settings;
    private final CaptureMetrics metrics;
    private final long epoch;
    private final CaptureClock clock;
    private final ChangeVersioner versioner;
    private final Clock wallClock;
    private final Lsn alreadyCapturedUpTo;
    private final RowStateCache cache;
    /** Every row state the batch in hand touches, gathered by {@link #prepare} and kept up to date. */
    private final Map<RowKey, StoredRowState> batchStates = new HashMap<>();
    /** Rows apply wrote in a transaction of this batch, with the position it stored their states at. */
    private final Map<RowKey, Lsn> storedByApply = new HashMap<>();
    /** The applied mark {@link #readStates} last read (-1: none yet). */
    private long appliedMark = -1;
    /**
     * The stored state each row of the batch was read as (null: none), what its new state may be written
     * over ({@link RowStateStore#replace}).
     */
    private final Map<RowKey, StoredRowState> bases = new HashMap<>();
    private final AppliedBatchMessage appliedMessages;
    private final FencesPassed fences;
    /** Fences met in the batch in hand: apply learns they are passed once the batch is flushed. */
    private final List<String> fencesInBatch = new ArrayList<>();

    private CaptureTransaction transaction;
    private final List<StoredRowState> dirty = new ArrayList<>();
    private final List<DeadLetterStore.DeadLetter> deadLetters = new ArrayList<>();
    private final DeadLetterStore deadLetterStore = new DeadLetterStore();
    private final List<ChangeEvent> toPublish = new ArrayList<>();
    private Lsn lastWholeTransaction;
    private Lsn confirmed = Lsn.INVALID;
    private long clockAtLastCommit;
    private long nextHeartbeatMillis;
    private Lsn pendingConfirm;
    private Lsn savedProgress;
    /** Slot positions waiting for the flush of the states committed before them (see the class comment). */
    private final DurableConfirms durable = DurableConfirms.afterEarlierCommits();
    /** When the flushed WAL position is read next while confirmations wait and no batch reads it (clock millis). */
    private long nextFlushCheckMillis;

    CaptureLoop(DcId dc, CapturedTables tables, Connection state, RowStateStore rowStates,
            CaptureProgressStore progressStore, CaptureProgressStore.Progress progress, long epoch,
            TransactionalPublisher publisher, EventCodec codec, CaptureSettings settings, CaptureMetrics metrics,
            Clock wallClock) {
        this.dc = dc;
        this.tables = tables;
        this.state = state;
        this.rowStates = rowStates;
        this.progressStore = progressStore;
        this.publisher = publisher;
        this.codec = codec;
        this.settings = settings;
        this.metrics = metrics;
        this.epoch = epoch;
        this.wallClock = wallClock;
        this.clock = new CaptureClock(progress.hlc());
        this.clockAtLastCommit = progress.hlc();
        this.alreadyCapturedUpTo = progress.lsn();
        this.lastWholeTransaction = progress.lsn();
        this.versioner = new ChangeVersioner(dc, clock);
        this.cache = new RowStateCache(settings.cachedRows());
        this.appliedMessages = new AppliedBatchMessage(codec);
        this.fences = FencesPassed.of(settings.slot());
    }

    /** Runs until {@code running} turns false or something fails; the caller handles restarts. */
    void run(PgOutputStream stream, BooleanSupplier running) throws SQLException, InterruptedException {
        List<WalEvent> batch = new ArrayList<>();
        int changes = 0;
        long firstRead = 0;
        long newestCommitMicros = 0;
        boolean toPersist = false;
        while (running.getAsBoolean()) {
            long reading = System.nanoTime();
            WalEvent event = stream.readPending();
            if (event != null) {
                String fence = event.message() instanceof LogicalMessage message ? FencesPassed.fenceOf(message) : null;
                if (fence != null && passedAtOnce(fence, toPersist)) {
                    continue;
                }
                if (batch.isEmpty()) {
                    firstRead = System.nanoTime();
                }
                if (event.message() instanceof Begin begin) {
                    newestCommitMicros = begin.commitTimeMicros();
                }
                batch.add(event);
                if (event.message() instanceof RowChange) {
                    changes++;
                }
                toPersist |= event.message() instanceof RowChange || event.message() instanceof Truncate;
                if (fence == null && keepReading(settings, changes, System.nanoTime() - firstRead,
                        wallClock.millis() * 1000 - newestCommitMicros)) {
                    continue;
                }
            }
            if (!batch.isEmpty()) {
                process(batch, changes, firstRead, stream);
                batch.clear();
                changes = 0;
                toPersist = false;
                heartbeatIfDue();
            } else {
                heartbeatIfDue();
                advanceIdleSlot(stream);
                // pgjdbc's readPending on a replication stream waits up to 1 ms on the socket for data; a sleep on
                // top of it only delays what arrives meanwhile (a fence apply waits on). Where it returned at once,
                // it did not wait, and the loop must not spin.
                if (System.nanoTime() - reading < IDLE_READ_WAITED_NANOS) {
                    Thread.sleep(settings.idlePollMillis());
                }
            }
        }
    }

    /**
     * Passes a fence the moment it is read if the batch in hand holds no change to persist (only commits of
     * transactions without captured rows, other messages): every batch before this one is flushed, and pgoutput
     * sends a transaction whole at its commit, so every local commit before the fence has its states stored
     * already. On a DC that only receives that is every fence, and apply, holding its row locks, no longer waits
     * for a read window, the 1 ms read that ends it, and a flush. Otherwise the fence ends the batch's reading
     * ({@link #run}): apply waits for that batch's flush, not for a window of further reading as well.
     */
    private boolean passedAtOnce(String fence, boolean batchHasChangesToPersist) {
        if (batchHasChangesToPersist) {
            return false;
        }
        fences.passed(fence);
        return true;
    }

    /**
     * Whether the batch in hand reads on (when the server has more): until it is full, or, for live changes, until
     * it has read for {@code capture.max-batch-delay}. On a busy machine the reader may trail a steady stream for a
     * second or more without ever catching up, and every change read meanwhile waits for the batch to be published.
     * A backlog (its newest transaction committed more than {@link #BACKLOG_AGE_MICROS} ago) fills whole batches:
     * its changes are late already, and large batches catch up fastest.
     */
    static boolean keepReading(CaptureSettings settings, int changes, long readingNanos, long newestCommitAgeMicros) {
        return changes < settings.maxBatchEvents() && (readingNanos < settings.maxBatchDelayNanos()
                || newestCommitAgeMicros > BACKLOG_AGE_MICROS);
    }

    private void process(List<WalEvent> batch, int changes, long firstRead, PgOutputStream stream)
            throws SQLException {
        CapturePhases.Stopwatch stopwatch = metrics.phases().stopwatch(firstRead);
        stopwatch.done(CapturePhases.Phase.READ);
        List<Object> work = prepare(batch);
        stopwatch.done(CapturePhases.Phase.PREPARE);
        for (Object item : work) {
            handle(item);
        }
        stopwatch.done(CapturePhases.Phase.VERSION);
        flush(stream, stopwatch);
        stopwatch.finish(changes);
    }

    /**
     * Decodes the batch's changes once and gathers the state of every row they touch into
     * {@link #batchStates}: from the cache, the rest in one query. The batch then reads states only from
     * there, never from the cache, which may evict a row between this prefetch and its use (a row absent
     * from both would be taken for a row never seen, and versioned from scratch).
     *
     * <p>Rows written by Concord's own apply are not versioned here: apply stored their states in its own
     * transaction, which has committed since capture is reading it. Such a row is forgotten by the cache, so
     * a local write of it later in the WAL is versioned from the state apply stored. Whatever state a row was
     * read as is its base: the batch's new state of it is stored only over that one ({@link #flush}).
     */
    private List<Object> prepare(List<WalEvent> batch) throws SQLException {
        List<Object> work = new ArrayList<>(batch.size());
        batchStates.clear();
        bases.clear();
        storedByApply.clear();
        Set<RowKey> local = new LinkedHashSet<>();
        List<RowKey> appliedInTransaction = new ArrayList<>();
        boolean applied = false;
        for (WalEvent event : batch) {
            if (event.message() instanceof Begin) {
                applied = false;
                appliedInTransaction.clear();
            } else if (event.message() instanceof Origin origin) {
                applied = origin.name().startsWith(APPLY_ORIGIN_PREFIX);
            } else if (event.message() instanceof LogicalMessage message) {
                Lsn storedAt = AppliedBatchMessage.statesStoredAt(message);
                if (storedAt != null) {
                    appliedInTransaction.forEach(key -> storedByApply.merge(key, storedAt, Lsn::max));
                }
            }
            if (event.message() instanceof RowChange change) {
                CapturedTable table = tables.get(change.relation().namespace(), change.relation().name());
                if (table == null) {
                    LOG.warn("change to {} ignored: it is in the publication but not in the config",
                            change.relation().qualifiedName());
                    continue;
                }
                ChangeVersioner.Split split = ChangeVersioner.split(table, change);
                for (RowKey key : split.keys()) {
                    if (applied) {
                        cache.forget(key);
                        appliedInTransaction.add(key);
                    } else {
                        local.add(key);
                    }
                }
                work.add(new PreparedChange(table, split));
            } else {
                work.add(event.message());
            }
        }
        if (!local.isEmpty()) {
            readStates(local); // only a batch with local writes reads the cache
        }
        return work;
    }

    /**
     * Puts the state of each of these rows (local writes' rows) in {@link #batchStates} and {@link #bases}: from
     * the cache where it is still good, the rest from the database.
     *
     * <p>The cache is good only if no apply transaction committed since the last look: one may have stored a
     * state of a cached row. The slot skips applied transactions (unless this DC forwards), so capture cannot tell
     * which rows they wrote; every one of them advanced {@code concord.apply_progress}, whose row versions (xmin)
     * change with each. That mark is read with the states the cache lacks, in one statement (one round trip, one
     * snapshot), after the batch was received: an apply transaction that precedes one of its local commits in the
     * WAL has committed by now. Where the mark moved, the cache is dropped and the rest read as well.
     */
    private void readStates(Set<RowKey> keys) throws SQLException {
        // The cached states are copied out first: putting the loaded ones in may evict them (RowStateCache), and a
        // row taken from the cache afterwards would read as stateless — its state's insert refused, capture started
        // over from the slot (a backlog of updates did so every few batches, at a third of its speed).
        Map<RowKey, StoredRowState> cached = new HashMap<>();
        Set<RowKey> uncached = new HashSet<>(keys.size() * 2);
        for (RowKey key : keys) {
            if (cache.contains(key)) {
                cached.put(key, cache.get(key));
            } else {
                uncached.add(key);
            }
        }
        RowStateStore.Marked read = loadVisible(uncached);
        Map<RowKey, StoredRowState> known = read.states(); // the caller's own map, per loadWithMark
        if (read.mark() != appliedMark) {
            cache.clear();
            appliedMark = read.mark();
            if (!cached.isEmpty()) {
                known.putAll(loadVisible(cached.keySet()).states()); // the cache may be stale: read them too
            }
        } else {
            known.putAll(cached);
        }
        for (RowKey key : keys) {
            StoredRowState state = known.get(key);
            batchStates.put(key, state);
            bases.put(key, state);
            cache.put(key, state);
        }
        // Not committed here: the batch's reads and writes share one transaction, ended in flush (READ COMMITTED:
        // each statement still sees every commit before it). A commit per read was two round trips per batch.
    }

    /**
     * The stored states of these rows with the applied mark ({@link #readStates}), once those apply stored in a
     * transaction of this batch are visible: the walsender may send a commit a moment before the committing
     * session's writes become visible to other sessions, and a local write versioned from the state before apply's
     * would drop what apply decided.
     */
    private RowStateStore.Marked loadVisible(Collection<RowKey> keys) throws SQLException {
        long deadline = System.nanoTime() + APPLIED_STATES_WAIT.toNanos();
        while (true) {
            RowStateStore.Marked marked = rowStates.loadWithMark(state, keys, APPLIED_MARK);
            Map<RowKey, StoredRowState> loaded = marked.states();
            RowKey behind = keys.stream().filter(key -> storedByApply.containsKey(key) && (loaded.get(key) == null
                    || loaded.get(key).lsn().isBefore(storedByApply.get(key)))).findFirst().orElse(null);
            if (behind == null) {
                return marked;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the state apply stored for " + behind + " at "
                        + storedByApply.get(behind) + " is not visible after " + APPLIED_STATES_WAIT.toMillis()
                        + " ms (found " + (loaded.get(behind) == null ? "none" : "one at " + loaded.get(behind).lsn())
                        + ")");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for apply's states to be visible", e);
            }
        }
    }

    /** A row's state as this batch has it now, and the cache too. */
    private void remember(StoredRowState next) {
        batchStates.put(next.key(), next);
        cache.put(next.key(), next);
    }

    private record PreparedChange(CapturedTable table, ChangeVersioner.Split split) {
    }

    private void handle(Object item) {
        if (item instanceof Begin begin) {
            transaction = new CaptureTransaction(begin, !begin.finalLsn().isAfter(alreadyCapturedUpTo));
        } else if (item instanceof Origin origin) {
            transaction.origin(origin.name());
        } else if (item instanceof PreparedChange prepared) {
            if (appliedByConcord()) {
                // Apply stored the states of the rows it wrote. Should a local write of one of them precede
                // this in the batch, its state was computed without apply's, and storing it is refused.
                return;
            }
            if (transaction.alreadyCaptured()) {
                return;
            }
            for (ChangeVersioner.Versioned versioned : versioner.version(transaction, prepared.table(),
                    prepared.split(), batchStates::get)) {
                if (versioned.state() != null) {
                    remember(versioned.state());
                    dirty.add(versioned.state());
                }
                ChangeEvent previous = transaction.hold(versioned.event());
                if (previous != null) {
                    toPublish.add(previous);
                }
            }
        } else if (item instanceof Commit commit) {
            ChangeEvent last = transaction.releaseLast();
            if (last != null) {
                toPublish.add(last);
            }
            if (!transaction.alreadyCaptured()) {
                lastWholeTransaction = transaction.begin().finalLsn();
                clockAtLastCommit = clock.current();
            }
            pendingConfirm = commit.endLsn();
            transaction = null;
        } else if (item instanceof Truncate truncate) {
            truncated(truncate);
        } else if (item instanceof LogicalMessage message && AppliedBatchMessage.matches(message)) {
            if (!transaction.alreadyCaptured()) {
                recordApplied(message);
            }
        } else if (item instanceof LogicalMessage message) {
            String fence = FencesPassed.fenceOf(message);
            if (fence != null) {
                fencesInBatch.add(fence);
            }
        }
    }

    /**
     * A TRUNCATE is not replicated (one statement would wipe every DC, versions and all); it is
     * counted, logged and kept as a dead letter, recorded with the batch so a replay keeps one.
     */
    private void truncated(Truncate truncate) {
        if (transaction.alreadyCaptured()) {
            return;
        }
        String tables = truncate.relations().stream().map(r -> r.qualifiedName()).toList().toString();
        String reason = "TRUNCATE of " + tables + " (transaction " + transaction.begin().xid() + ", commit "
                + transaction.begin().finalLsn() + ") is not replicated: peers keep their rows. Delete the rows "
                + "instead, or truncate every DC yourself";
        metrics.truncateIgnored();
        LOG.warn(reason);
        deadLetters.add(new DeadLetterStore.DeadLetter("TRUNCATE", reason, "wal:" + settings.slot(),
                transaction.nextSeq(), transaction.begin().finalLsn().value(), tables, null, null));
    }

    /**
     * Apply settled rows in this transaction and stored their states itself; where this DC forwards, the
     * message holds the events to publish again. A message that cannot be read stops capture (retried,
     * loudly): skipping it would lose events.
     */
    private void recordApplied(LogicalMessage message) {
        AppliedBatch batch;
        try {
            batch = appliedMessages.decode(message);
        } catch (EventDecodingException e) {
            throw new IllegalStateException("cannot read the apply message at " + message.lsn() + " in transaction "
                    + transaction.begin().finalLsn() + ": " + e.getMessage(), e);
        }
        if (settings.forward()) {
            for (ChangeEvent event : batch.getForward()) {
                if (!event.getOrigin().equals(dc.value())) {
                    event.setPublishedBy(dc.value());
                    toPublish.add(event);
                }
            }
        }
    }

    private StoredRowState baseOf(RowKey key) {
        if (!bases.containsKey(key)) {
            throw new IllegalStateException("no state was read for " + key + " before it was versioned");
        }
        return bases.get(key);
    }

    private boolean appliedByConcord() {
        return transaction.origin() != null && transaction.origin().startsWith(APPLY_ORIGIN_PREFIX);
    }

    /**
     * Steps 2 to 4 of the class comment. The row states are written while Kafka is still taking
     * the batch, but committed in PostgreSQL only after Kafka acknowledged it: the work overlaps,
     * the order of the two commits does not change.
     */
    private void flush(PgOutputStream stream, CapturePhases.Stopwatch stopwatch) throws SQLException {
        boolean publishing = !toPublish.isEmpty();
        for (ChangeEvent event : toPublish) {
            publisher.send(keyOf(event), codec.encode(event));
        }
        stopwatch.done(CapturePhases.Phase.SEND);
        // The held-back event's state is in `dirty` too; persisting it before the event is out is
        // harmless: a replay finds it at the event's own position and reuses its version.
        boolean saving = !dirty.isEmpty() || !deadLetters.isEmpty() || !lastWholeTransaction.equals(savedProgress);
        CaptureProgressStore.WalPositions seen = null;
        if (saving) {
            // Read before this batch's commit, after the earlier ones: what it says of the WAL covers those.
            seen = progressStore.save(state, settings.slot(), epoch, lastWholeTransaction, clockAtLastCommit);
            Set<RowKey> moved = rowStates.replace(state, dirty, this::baseOf);
            if (!moved.isEmpty()) {
                publisher.abort();
                state.rollback();
                throw new RowStateMovedException(moved, savedProgress != null ? savedProgress : alreadyCapturedUpTo);
            }
            for (DeadLetterStore.DeadLetter letter : deadLetters) {
                deadLetterStore.record(state, letter);
            }
        }
        stopwatch.done(CapturePhases.Phase.SAVE);
        if (publishing) {
            publisher.commit();
            metrics.published(toPublish.size(),
                    (int) toPublish.stream().filter(event -> event.getOrigin().equals(dc.value())).count());
            toPublish.clear();
            CrashPoint.reach(CrashPoint.AFTER_PUBLISH);
        }
        stopwatch.done(CapturePhases.Phase.KAFKA_COMMIT);
        if (saving) {
            state.commit(); // asynchronous: see the class comment
            dirty.clear();
            deadLetters.clear();
            savedProgress = lastWholeTransaction;
        } else {
            state.commit(); // ends the transaction of the batch's reads, if any (no round trip when none is open)
        }
        stopwatch.done(CapturePhases.Phase.PG_COMMIT);
        // Confirming is safe even while a later transaction is still open: it commits after this point, so the
        // server sends it again whole after a restart.
        Lsn release = seen == null ? null : durable.observed(seen.insert(), seen.flushed());
        if (saving) {
            durable.committed(pendingConfirm);
        } else if (pendingConfirm != null) {
            Lsn now = durable.nothingCommitted(pendingConfirm);
            release = now != null ? now : release;
        }
        pendingConfirm = null;
        if (release != null) {
            confirm(stream, release);
        }
        if (!saving) {
            confirmFlushed(stream);
        }
        // Every commit before a fence in the WAL came before it in the stream, and is persisted by now.
        fencesInBatch.forEach(fences::passed);
        fencesInBatch.clear();
        stopwatch.done(CapturePhases.Phase.CONFIRM);
    }

    private void heartbeatIfDue() {
        long now = wallClock.millis();
        if (now >= nextHeartbeatMillis) {
            publisher.send(dc.value().getBytes(StandardCharsets.UTF_8),
                    codec.encode(new Heartbeat(dc.value(), now * 1000, confirmed.value(), clock.current())));
            publisher.commit();
            nextHeartbeatMillis = now + settings.heartbeatMillis();
        }
    }

    /**
     * Confirms what waits for a flush, if the flushed position has reached it: read here at most every
     * {@link #FLUSH_CHECK_MILLIS} when no batch saving progress reads it (an idle slot, a stream of changes to other
     * tables).
     */
    private void confirmFlushed(PgOutputStream stream) throws SQLException {
        if (!durable.waiting() || wallClock.millis() < nextFlushCheckMillis) {
            return;
        }
        nextFlushCheckMillis = wallClock.millis() + FLUSH_CHECK_MILLIS;
        CaptureProgressStore.WalPositions now = progressStore.walPositions(state);
        state.commit();
        Lsn release = durable.observed(now.insert(), now.flushed());
        if (release != null) {
            confirm(stream, release);
        }
    }

    private void advanceIdleSlot(PgOutputStream stream) throws SQLException {
        confirmFlushed(stream);
        // Nothing in flight, everything read is handled and on disk: the slot may move to the server's latest
        // position even when the WAL held nothing for us (other tables, other databases).
        if (transaction == null && !durable.waiting()) {
            Lsn received = stream.lastReceivedLsn();
            if (received.isAfter(confirmed)) {
                confirm(stream, received);
            }
        }
    }

    private void confirm(PgOutputStream stream, Lsn lsn) throws SQLException {
        if (!lsn.isAfter(confirmed)) {
            return; // the slot never moves back
        }
        stream.confirmFlushed(lsn);
        stream.forceUpdateStatus();
        confirmed = lsn;
        metrics.confirmed(lsn);
    }

    /** Kafka key: table and primary key, so that a row's events stay together when compacted or inspected. */
    static byte[] keyOf(ChangeEvent event) {
        return RowKey.of(event.getTable(), event.getKey()).toString().getBytes(StandardCharsets.UTF_8);
    }
}
