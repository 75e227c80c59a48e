package io.concord.replicator.apply;

import io.concord.event.AppliedBatch;
import io.concord.event.ChangeEvent;
import io.concord.event.codec.EventCodec;
import io.concord.replicator.capture.AppliedBatchMessage;
import io.concord.replicator.capture.Lsn;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.ApplyProgressStore;
import io.concord.replicator.store.DeadLetterStore;
import io.concord.replicator.store.RowKey;
import io.concord.replicator.store.RowStateStore;
import io.concord.replicator.store.StoredRowState;
import io.concord.resolver.state.Conflict;
import io.concord.resolver.state.Reconciliation;
import io.concord.version.Causality;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies batches of one peer's change events to this DC's PostgreSQL, one transaction per batch.
 *
 * <h2>The order of a batch (ARCHITECTURE.md, "Ordering rules": Apply)</h2>
 * <ol>
 *   <li>begin, under the peer's replication origin ({@code concord_<peer>}, set once on this applier's
 *       connection) with the source's commit LSN and time, so capture knows the writes as not local;</li>
 *   <li>lock the target rows that exist ({@code FOR UPDATE}, per table, in key order);</li>
 *   <li>read a WAL position and wait until capture has recorded everything before it
 *       ({@link CaptureBarrier}): the stored versions now include every local write of those rows;</li>
 *   <li>read the rows' states (without locking them: capture writes them, and holds no user-row lock) and
 *       take in every event in order with the table's reconciler;</li>
 *   <li>write the user rows that changed; a row that was not there to lock is inserted (never over a row:
 *       a plain insert fails, {@code ON CONFLICT DO NOTHING} one row at a time inserts nothing), and if a local
 *       insert got there first the batch starts over, now finding and locking that row — a row whose version
 *       was not compared is never overwritten;</li>
 *   <li>store the settled states in {@code concord.row_versions} at the fence's position (states new to the
 *       table with a plain insert, which fails if one appeared since they were read: the batch starts over);
 *       where this DC forwards (and capture therefore reads applied transactions), say so in a transactional
 *       {@code concord.apply.states} message, and emit the events as a {@code concord.apply} message for
 *       capture to republish;</li>
 *   <li>record the conflicts asked for, and the dead letters;</li>
 *   <li>advance {@code concord.apply_progress}; commit.</li>
 * </ol>
 *
 * <h2>Batches of new keys</h2>
 * A batch that only inserts is first tried as <em>fresh keys</em> ({@link FreshKeys}): steps 2 and 4 read nothing,
 * every row being taken as missing and without a state, and the writes check that: the rows' plain insert fails on
 * a row of the key (it comes in step 2's place, before the wait, holding the keys as the lock holds rows), the
 * states' insert on a stored state. Either failure rolls the attempt back and the batch goes
 * the ordinary way. For a stream of new rows (a backlog of inserts, an application that mostly inserts) this saves
 * the two statements that find nothing, about a third of the server's statement time on the batch.
 *
 * <h2>Why apply stores the states it settles</h2>
 * Capture used to record them, from a message in the apply transaction, as the only writer of row states.
 * Every batch then waited (step 3) for the walsender to decode the previous batch row by row and for capture
 * to store its states: the two took turns, and together cost more than the apply itself. Now capture's slot
 * skips applied transactions altogether (pgoutput {@code origin = none}) and the states are written where
 * they are decided. What made capture the single writer still holds:
 * <ul>
 *   <li>capture versions a local write from the state stored when it reaches that write in the WAL. A state
 *       apply stored is visible by then exactly when the apply transaction precedes the write: for a row it
 *       locked, a local write before the apply transaction committed before the lock and was recorded before
 *       step 4 (the wait), and one after it sees the applied row. Capture's cache forgets every row whenever
 *       an apply transaction committed since it last looked;</li>
 *   <li>a state is only ever replaced by one at a later {@code (lsn, seq)}: the fence lies after every local
 *       commit recorded before the wait and before every later one. A store that finds a later state (a local
 *       write of a row this batch could not lock, recorded meanwhile) sends the batch round again.</li>
 * </ul>
 * A row the database refuses (a secondary UNIQUE key held by another row, another constraint, a column
 * or table missing here) does not stop the pipeline: the batch is rolled back and tried again without
 * that row's events, which become dead letters with the reason, in the same transaction as the rest. A
 * unique violation is also a conflict ({@code unique_violation} in {@code concord.conflicts}, with both rows).
 *
 * <h2>Rows absent here</h2>
 * A key with no row here cannot be locked, so a local write of it can slip in while the batch runs. These
 * checks send the batch round again (now finding and locking the row, or its state) when one did:
 * <ul>
 *   <li>a stored state written after the lock was taken ({@code lsn} at or past the WAL insert position
 *       read just before locking): a local write committed between the lock and the wait for capture, so
 *       the state compared includes a row this batch did not lock — leaving it as it is would keep a row
 *       the resolution deleted;</li>
 *   <li>a row the batch inserts fails on a local row inserted after the wait;</li>
 *   <li>a local insert <em>and</em> delete of a key the batch inserts, both committed after the wait, leave no
 *       row to fail on: once inserted, the rows hold their keys, a second fence follows, and a state of such a
 *       key stored at or past the first fence is that write ({@code noLocalWriteSlippedUnder}). A batch of fresh
 *       keys inserts its rows before the first fence instead, so the one wait covers it;</li>
 *   <li>storing the settled states finds a later one (capture recorded a local write of the key since the
 *       states were read);</li>
 *   <li>a key the batch leaves deleted without having locked a row is read once more, as the last statement
 *       before the commit: a row there was inserted after the wait, and its version was never compared.</li>
 * </ul>
 * What these checks cannot see is a local insert of a key the batch leaves deleted, committing between that last
 * read and this commit. Capture settles it: it stores a state only over the one it computed it from, so a local
 * write it versioned from the state before this batch's is refused once this batch's is stored, and capture
 * versions it again on top of it (see {@code CaptureLoop}) — a local write after the applied one, which is what
 * this database shows (the row the batch left deleted is there).
 *
 * <p>Not thread-safe: one applier, and one connection, per peer.
 */
public final class BatchApplier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);
    private static final int MAX_ATTEMPTS = 10;
    private static final String UNIQUE_VIOLATION = "23505";

    /** Opens a connection to this DC's PostgreSQL. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** An event with its offset in the peer's topic partition. */
    public record RemoteEvent(ChangeEvent event, long offset) {
    }

    /**
     * What a batch did.
     *
     * @param applied     events that changed a row's state (applied, or settled as a conflict)
     * @param skipped     events already seen here (stale, duplicate, or this DC's own)
     * @param conflicts   conflicts recorded in {@code concord.conflicts}
     * @param rowsWritten user rows inserted, updated or deleted
     * @param deadLetters events set aside as dead letters
     * @param attempts    transactions it took
     * @param settled     conflicts the resolvers settled, recorded or not, counted by table and type
     * @param letters     the dead letters recorded, to publish on the DLQ topic once committed
     * @param freshKeys   how the batch's guess that all its keys were new here went ({@code FreshKeys})
     */
    public record Outcome(int applied, int skipped, int conflicts, int rowsWritten, int deadLetters, int attempts,
            Map<ConflictKind, Integer> settled, List<DeadLetterStore.DeadLetter> letters, FreshKeyGuess freshKeys) {

        /** An outcome whose batch was not tried as fresh keys. */
        public Outcome(int applied, int skipped, int conflicts, int rowsWritten, int deadLetters, int attempts,
                Map<ConflictKind, Integer> settled, List<DeadLetterStore.DeadLetter> letters) {
            this(applied, skipped, conflicts, rowsWritten, deadLetters, attempts, settled, letters,
                    FreshKeyGuess.NOT_TRIED);
        }

        Outcome withFreshKeys(FreshKeyGuess guess) {
            return new Outcome(applied, skipped, conflicts, rowsWritten, deadLetters, attempts, settled, letters,
                    guess);
        }
    }

    /** How a batch's guess that all its keys were new here went ({@code FreshKeys}). */
    public enum FreshKeyGuess {
        /** Not tried: the batch does more than insert, or a pause after a miss was running. */
        NOT_TRIED,
        /** Committed as fresh keys: no lock, no read of states. */
        HELD,
        /** A row or a state of some key was there: the batch went the ordinary way. */
        MISSED
    }

    /** A table and a conflict type ({@code update_update}, ...), what conflicts are counted by. */
    public record ConflictKind(String table, String type) {
    }

    private final ConcordConfig config;
    private final String peer;
    private final ApplyTables tables;
    private final CaptureBarrier barrier;
    private final RowStateStore rowStates = new RowStateStore();
    private final UserRows userRows = new UserRows();
    private final FreshKeys freshKeys = new FreshKeys();
    private final ConflictWriter conflicts;
    private final DeadLetterStore deadLetterStore = new DeadLetterStore();
    /** Test seams: run after the rows are locked, and after the wait for capture (each attempt). */
    volatile Runnable afterLock = () -> { };
    volatile Runnable afterCaptureWait = () -> { };
    private final EventCodec codec = new EventCodec();
    private final AppliedBatchMessage message = new AppliedBatchMessage(codec);
    private final ApplyConnection connection;
    private final ApplyPhases phases;

    /**
     * An applier of {@code peer}'s events.
     *
     * @param captureTimeout how long a batch waits for capture to catch up before failing (retryably)
     */
    public BatchApplier(ConcordConfig config, String peer, ApplyTables tables, ConnectionSource connections,
            Duration captureTimeout) {
        this(config, peer, tables, connections, captureTimeout, new ApplyPhases());
    }

    /** An applier of {@code peer}'s events that adds the time of each step of its batches to {@code phases}. */
    public BatchApplier(ConcordConfig config, String peer, ApplyTables tables, ConnectionSource connections,
            Duration captureTimeout, ApplyPhases phases) {
        this(config, peer, 0, tables, connections, captureTimeout, phases);
    }

    /**
     * The applier of apply session {@code session} of {@code peer} ({@code apply.sessions}): its connection applies
     * under that session's replication origin.
     */
    public BatchApplier(ConcordConfig config, String peer, int session, ApplyTables tables,
            ConnectionSource connections, Duration captureTimeout, ApplyPhases phases) {
        this.phases = phases;
        this.config = config;
        this.peer = peer;
        this.tables = tables;
        this.barrier = new CaptureBarrier(config.capture().slot(), captureTimeout, connections);
        this.conflicts = new ConflictWriter(config.dc());
        this.connection = new ApplyConnection(peer, session, connections);
    }

    /**
     * The part of a batch that must commit before the one {@link #applyAfter} applies.
     *
     * @param committed completes with true once that part committed, false if it will not be (or was not wholly)
     * @param progress  {@code concord.apply_progress}'s next offset once it committed: its last offset + 1
     * @param patience  how long the later part, its work done, waits for it before giving up its attempt
     * @param sharedRows rows of the later part that the parts before it change too: the later part settles them
     *                   only once its predecessor committed, from the states stored by then (see {@link BatchParts})
     */
    public record Predecessor(Future<Boolean> committed, long progress, Duration patience, Set<RowKey> sharedRows) {

        public Predecessor {
            sharedRows = Set.copyOf(sharedRows);
        }

        /** A predecessor that changes none of the later part's rows. */
        public Predecessor(Future<Boolean> committed, long progress, Duration patience) {
            this(committed, progress, patience, Set.of());
        }

        /** Returns once the predecessor committed; throws if it did not in time, or will not. */
        void await() throws Abandoned, InterruptedException {
            try {
                if (!committed.get(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new Abandoned("the part before it was not applied");
                }
            } catch (TimeoutException e) {
                // It may wait for a lock this part holds (a UNIQUE value, a foreign key): let go of them.
                throw new Abandoned("the part before it did not commit within " + patience.toMillis() + " ms");
            } catch (ExecutionException e) {
                throw new Abandoned("the part before it failed: " + e.getCause());
            }
        }
    }

    /** Why {@link #applyAfter} gave up and committed nothing; the caller applies the part once its predecessor is done. */
    public static final class Abandoned extends Exception {

        Abandoned(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Applies whole source transactions of the peer, in topic order, in one local transaction. The batch
     * must end at a transaction's last event ({@code source.last}) so that no source transaction is split.
     * A batch in which a row turns up that was missing when its key was locked is simply run again (rare:
     * a local insert of that key raced it), now finding and locking that row.
     *
     * @param topic     the peer's topic
     * @param partition its partition
     * @param events    the events, in offset order; not empty
     * @throws ApplyException if the batch could not be applied; nothing of it is then committed
     */
    public Outcome apply(String topic, int partition, List<RemoteEvent> events) throws ApplyException,
            InterruptedException {
        try {
            return apply(topic, partition, events, null);
        } catch (Abandoned e) {
            throw new IllegalStateException("a batch with no predecessor cannot be abandoned", e);
        }
    }

    /**
     * Applies the part of a batch that follows {@code predecessor}'s, on this applier's own session, while that part
     * is still being applied, and commits only after it. First it settles the rows no earlier part changes; then it
     * waits for the predecessor to commit, settles the rows it shares with earlier parts
     * ({@link Predecessor#sharedRows}: locked, fenced and read only now, so decided from the states those parts
     * stored), moves {@code concord.apply_progress} on from where the predecessor left it (checked in the statement)
     * and commits; readers therefore only ever see a prefix of the source's transactions. Until the predecessor
     * commits this part holds no row an earlier part needs, so the earlier parts never wait for it.
     *
     * <p>It never sets a row aside: a row the database refuses here may only be refused because the predecessor has
     * not committed yet (a parent row it inserts, a UNIQUE value it frees). Any such failure, any other failure, and
     * a predecessor that does not commit in time, abandon the attempt: nothing is committed, and the caller applies
     * the part the ordinary way once the predecessor is done.
     *
     * @throws Abandoned if it committed nothing; the reason says why
     */
    public Outcome applyAfter(String topic, int partition, List<RemoteEvent> events, Predecessor predecessor)
            throws Abandoned, InterruptedException {
        try {
            return apply(topic, partition, events, predecessor);
        } catch (ApplyException e) {
            throw new Abandoned(e.getMessage());
        }
    }

    private Outcome apply(String topic, int partition, List<RemoteEvent> events, Predecessor predecessor)
            throws ApplyException, Abandoned, InterruptedException {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an empty batch has no position to record");
        }
        Map<Integer, DeadLetterStore.DeadLetter> deadLetters = new TreeMap<>();
        Map<RowKey, UniqueViolation> uniqueViolations = new LinkedHashMap<>();
        boolean oneByOne = false;
        boolean fresh = freshKeys.worthTrying(events);
        FreshKeyGuess guess = fresh ? FreshKeyGuess.HELD : FreshKeyGuess.NOT_TRIED;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                Connection db = connection.get();
                Attempt work = new Attempt(topic, partition, events, deadLetters, uniqueViolations, predecessor,
                        fresh);
                Outcome outcome = work.run(db, oneByOne, attempt);
                if (outcome != null) {
                    db.commit();
                    if (fresh) {
                        freshKeys.hit();
                    }
                    work.stopwatch.done(ApplyPhases.Phase.COMMIT);
                    work.stopwatch.finish(events.size());
                    return outcome.withFreshKeys(guess);
                }
                connection.rollback();
                if (fresh) {
                    fresh = missedFreshKeys(topic, partition, "a state of a key was stored");
                    guess = FreshKeyGuess.MISSED;
                    continue;
                }
                LOG.debug("batch of {} at {}:{}: a row was inserted here meanwhile; trying again", peer, topic,
                        partition);
            } catch (Abandoned e) {
                connection.rollback();
                throw e;
            } catch (UserRows.RowFailure failure) {
                connection.rollback();
                if (predecessor != null) {
                    throw new Abandoned("the database refused a row: " + failure.sqlException().getMessage());
                }
                if (!RowFailures.isRowLevel(failure.sqlException().getSQLState())) {
                    throw failed(events, topic, partition, failure.sqlException());
                }
                setAside(topic, partition, events, deadLetters, uniqueViolations, failure);
            } catch (InterruptedException e) {
                connection.rollback();
                throw e;
            } catch (SQLException e) {
                connection.rollback();
                if (fresh && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    // A row of a key was there after all (or a secondary key's value): the ordinary way sorts it out.
                    fresh = missedFreshKeys(topic, partition, e.getMessage());
                    guess = FreshKeyGuess.MISSED;
                    continue;
                }
                if (predecessor != null) {
                    throw new Abandoned("the database refused the part: " + e.getMessage());
                }
                if (!oneByOne && RowFailures.isRowLevel(ApplyException.sqlState(e))) {
                    oneByOne = true; // find the row the database refuses
                    continue;
                }
                throw failed(events, topic, partition, e);
            } catch (CaptureBarrier.CaptureBehindException e) {
                connection.rollback();
                throw new ApplyException(e.getMessage(), true, e);
            } catch (RuntimeException e) {
                // A state or row that cannot be encoded for its column types: a bug or a schema drift.
                connection.rollback();
                throw new ApplyException("applying " + events.size() + " events of " + peer + " up to " + topic + ":"
                        + partition + "@" + last(events).offset() + ": " + e.getMessage(), false, e);
            }
        }
        throw new ApplyException("batch of " + peer + " up to " + topic + ":" + partition + "@"
                + last(events).offset() + " did not settle in " + MAX_ATTEMPTS + " attempts", true, null);
    }

    /** Counts a failed fresh-key guess (see {@link FreshKeys}); returns false, for the next attempt. */
    private boolean missedFreshKeys(String topic, int partition, String why) {
        freshKeys.miss();
        LOG.debug("batch of {} at {}:{} is not all new keys here ({}); applying it the ordinary way", peer, topic,
                partition, why);
        return false;
    }

    /** The failure of a batch; a connection that may be broken is dropped, to be opened afresh. */
    private ApplyException failed(List<RemoteEvent> events, String topic, int partition, SQLException e) {
        ApplyException failure = ApplyException.of("applying " + events.size() + " events of " + peer + " up to "
                + topic + ":" + partition + "@" + last(events).offset(), e);
        if (failure.retryable()) {
            connection.drop();
        }
        return failure;
    }

    private void setAside(String topic, int partition, List<RemoteEvent> events,
            Map<Integer, DeadLetterStore.DeadLetter> deadLetters, Map<RowKey, UniqueViolation> uniqueViolations,
            UserRows.RowFailure failure) throws ApplyException {
        String state = failure.sqlException().getSQLState();
        String reason;
        try {
            Connection db = connection.get();
            RowFailures.Refusal refusal = RowFailures.refusal(db, failure);
            reason = refusal.reason();
            refusal.conflict().ifPresent(conflict -> uniqueViolations.put(failure.target.key, conflict));
            db.rollback();
        } catch (SQLException e) {
            throw ApplyException.of("reading the rows of a failed write of " + failure.target.key, e);
        }
        LOG.warn("dead letter: {}", reason);
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent event = events.get(i).event();
            if (failure.target.key.equals(keyOf(event))) {
                deadLetters.put(i, deadLetter(topic, partition, events.get(i), RowFailures.errorClass(state), reason));
            }
        }
    }

    private DeadLetterStore.DeadLetter deadLetter(String topic, int partition, RemoteEvent remote, String errorClass,
            String reason) {
        ChangeEvent event = remote.event();
        String table = event.getTable().getSchema$() + "." + event.getTable().getName();
        byte[] key = event.getKey().isEmpty() ? null : keyOf(event).toString().getBytes(StandardCharsets.UTF_8);
        return new DeadLetterStore.DeadLetter(errorClass, reason, topic, partition, remote.offset(), table, key,
                codec.encode(event));
    }

    private static RowKey keyOf(ChangeEvent event) {
        return RowKey.of(event.getTable(), event.getKey());
    }

    private static RemoteEvent last(List<RemoteEvent> events) {
        return events.get(events.size() - 1);
    }

    /** One transaction's try at a batch. */
    private final class Attempt {

        private final String topic;
        private final int partition;
        private final List<RemoteEvent> events;
        private final Map<Integer, DeadLetterStore.DeadLetter> deadLetters;
        private final Map<RowKey, UniqueViolation> uniqueViolations;
        private final Map<RowKey, Target> targets = new LinkedHashMap<>();
        private final List<Map.Entry<Integer, Target>> pending = new ArrayList<>();
        private final RemoteRows remoteRows = new RemoteRows();
        private final ApplyPhases.Stopwatch stopwatch = phases.stopwatch(System.nanoTime());
        private final Predecessor predecessor;
        /** Whether this attempt takes every key as new here: nothing to lock, no state to read ({@link FreshKeys}). */
        private final boolean fresh;
        private final List<Map.Entry<Conflict, Map<String, String>>> recorded = new ArrayList<>();
        private final List<ChangeEvent> forward = new ArrayList<>();
        private final Map<ConflictKind, Integer> settled = new LinkedHashMap<>();
        private int applied;
        private int skipped;
        private int written;

        Attempt(String topic, int partition, List<RemoteEvent> events,
                Map<Integer, DeadLetterStore.DeadLetter> deadLetters, Map<RowKey, UniqueViolation> uniqueViolations,
                Predecessor predecessor, boolean fresh) {
            this.predecessor = predecessor;
            this.fresh = fresh;
            this.uniqueViolations = uniqueViolations;
            this.topic = topic;
            this.partition = partition;
            this.events = events;
            this.deadLetters = deadLetters;
        }

        /** The outcome, or null if a row appeared since it was found missing (roll back and try again). */
        Outcome run(Connection db, boolean oneByOne, int attempt) throws SQLException, UserRows.RowFailure,
                CaptureBarrier.CaptureBehindException, InterruptedException, Abandoned {
            ChangeEvent lastEvent = last(events).event();
            // The WAL insert position is read with the origin, a round trip earlier than just before the lock:
            // an earlier position only makes the check of unlocked rows below more careful.
            Lsn lockedAt;
            try (PreparedStatement origin = db.prepareStatement("SELECT pg_replication_origin_xact_setup(?::pg_lsn,"
                    + " 'epoch'::timestamptz + ? * interval '1 microsecond'), pg_current_wal_insert_lsn()::text")) {
                origin.setString(1, Lsn.of(lastEvent.getSource().getCommitLsn()).toString());
                origin.setLong(2, lastEvent.getSource().getCommitTimeMicros());
                try (ResultSet row = origin.executeQuery()) {
                    row.next();
                    lockedAt = Lsn.parse(row.getString(2));
                }
            }
            skipped = prepare();
            stopwatch.done(ApplyPhases.Phase.PREPARE);
            Set<RowKey> shared = predecessor == null ? Set.of() : predecessor.sharedRows();
            List<Target> own = new ArrayList<>(targets.size());
            List<Target> sharedTargets = new ArrayList<>();
            targets.values().forEach(t -> (shared.contains(t.key) ? sharedTargets : own).add(t));
            if ((!own.isEmpty() || sharedTargets.isEmpty()) && !settle(db, own, lockedAt, oneByOne, fresh)) {
                return null;
            }
            if (!sharedTargets.isEmpty()) {
                if (config.forwardsAppliedChanges()) {
                    // Two fences would mean two states messages in one transaction, which capture cannot tell apart.
                    throw new IllegalStateException("a part that shares rows with the part before it, where this DC"
                            + " forwards what it applies");
                }
                // The rows the parts before this one change too: settled once those committed, from the states
                // they stored. Until then this part holds only rows no earlier part touches, so the parts before it
                // never wait for it; the wait is counted as locking, which is what it stands for.
                predecessor.await();
                if (!settle(db, sharedTargets, walInsertPosition(db), oneByOne, false)) {
                    return null;
                }
            }
            conflicts.record(db, recorded);
            conflicts.recordUniqueViolations(db, uniqueViolations.values());
            uniqueViolations.values().forEach(v -> settled.merge(new ConflictKind(v.table(), "unique_violation"), 1,
                    Integer::sum));
            for (DeadLetterStore.DeadLetter letter : deadLetters.values()) {
                deadLetterStore.record(db, letter);
            }
            stopwatch.done(ApplyPhases.Phase.RECORD);
            emit(db, forward);
            progress(db, lastEvent);
            // Last, to leave the narrowest window before the commit.
            if (userRows.appearedUnlocked(db, targets.values().stream()
                    .filter(t -> t.stateChanged && !t.locked && t.state.current().isTombstone()).toList())) {
                return null; // a row inserted here after the wait, whose version was never compared
            }
            stopwatch.done(ApplyPhases.Phase.EMIT);
            return new Outcome(applied, skipped, recorded.size() + uniqueViolations.size(), written,
                    deadLetters.size(), attempt, settled, List.copyOf(deadLetters.values()));
        }

        /**
         * Locks these rows, waits for capture, reads their states, takes in their events, writes the rows and stores
         * the states at this round's fence. False if a row appeared since it was found missing (roll back and try
         * again).
         *
         * <p>Taken as fresh keys ({@link FreshKeys}), the rows are neither locked nor read: each is taken as a row
         * found missing and a state found absent, which is what the ordinary way would have found at the moment the
         * writes succeed — the rows' plain insert fails if a row of the key is there (committed, or committed by the
         * time the insert may go on), the states' if a state is stored. The rows go in <em>before</em> the fence,
         * where the ordinary way locks: an inserted key is held as a locked row is (a local insert of it waits for
         * this transaction and then fails), so a local write of it either committed before the insert, hence before
         * the fence, and capture has recorded its state by the end of the wait (an insert and a delete, which leave no
         * row but a state to compare with, then fail the states' insert), or comes after this batch. Inserted after
         * the wait, as before session 11, a local insert and delete of the key committing between the wait and the
         * insert could go unseen: where apply stored its state before capture stored the local one, the applied row
         * stayed and capture versioned the delete after it.
         *
         * @param lockedAt a WAL insert position read before the rows were locked
         * @param fresh    take every row as missing and stateless, unread
         */
        private boolean settle(Connection db, List<Target> rows, Lsn lockedAt, boolean oneByOne, boolean fresh)
                throws SQLException, UserRows.RowFailure, CaptureBarrier.CaptureBehindException, InterruptedException {
            if (!fresh) {
                // Tables in name order, rows in key order: appliers of different peers queue up rather than deadlock.
                Map<ApplyTable, List<Target>> byTable = new TreeMap<>(Comparator.comparing(ApplyTable::qualifiedName));
                rows.forEach(t -> byTable.computeIfAbsent(t.table, x -> new ArrayList<>()).add(t));
                for (Map.Entry<ApplyTable, List<Target>> table : byTable.entrySet()) {
                    userRows.lock(db, table.getKey(), table.getValue());
                }
            }
            afterLock.run();
            stopwatch.done(ApplyPhases.Phase.LOCK);
            Set<RowKey> keys = new HashSet<>(rows.size() * 2);
            rows.forEach(t -> keys.add(t.key));
            if (fresh && !takeIn(db, rows, keys, oneByOne)) {
                return false; // a row of a key was there after all
            }
            CaptureBarrier.Fence fence = barrier.target(db);
            barrier.await(db, fence);
            afterCaptureWait.run();
            stopwatch.done(ApplyPhases.Phase.CAPTURE_WAIT);
            if (!fresh) {
                Map<RowKey, StoredRowState> stored = rowStates.load(db, keys);
                for (StoredRowState state : stored.values()) {
                    if (!targets.get(state.key()).locked && !state.lsn().isBefore(lockedAt)) {
                        return false; // a local write of a row not locked here committed after the lock
                    }
                }
                stored.forEach((key, state) -> {
                    Target target = targets.get(key);
                    target.state = state.state();
                    target.stored = true;
                    target.addTypes(state.columnTypes());
                });
                stopwatch.done(ApplyPhases.Phase.LOAD);
                if (!takeIn(db, rows, keys, oneByOne)) {
                    return false;
                }
                if (!noLocalWriteSlippedUnder(db, rows, fence)) {
                    return false;
                }
            }
            boolean saved = saveStates(db, fence.lsn(), rows);
            stopwatch.done(ApplyPhases.Phase.EMIT);
            return saved; // if not, a local write of a row not locked here was recorded after the fence
        }

        /**
         * For rows this attempt inserted without having locked them (absent at the lock): whether no local write of
         * their keys committed between the end of the wait for capture and the insert. A local insert there makes
         * the insert fail; a local insert <em>and</em> delete leaves no row to fail on, only a WAL record capture
         * may not have versioned yet — and had apply stored its state first, capture would version that delete on
         * top of it while the applied row stays. The inserted rows now hold their keys, so every such write lies
         * before a second fence: once capture has passed it, a state of the key stored at or past the first fence
         * is one, and the attempt goes round again (finding the state). Costs a second wait only for batches that
         * insert rows absent at the lock; fresh-key batches insert before the first fence instead.
         */
        private boolean noLocalWriteSlippedUnder(Connection db, List<Target> rows, CaptureBarrier.Fence fence)
                throws SQLException, CaptureBarrier.CaptureBehindException, InterruptedException {
            Set<RowKey> inserted = new HashSet<>();
            for (Target target : rows) {
                if (target.rowChanged && !target.locked && !target.state.current().isTombstone()) {
                    inserted.add(target.key);
                }
            }
            if (inserted.isEmpty()) {
                return true;
            }
            barrier.await(db, barrier.target(db));
            stopwatch.done(ApplyPhases.Phase.CAPTURE_WAIT);
            for (StoredRowState state : rowStates.load(db, inserted).values()) {
                if (!state.lsn().isBefore(fence.lsn())) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Reconciles the events of these rows with their states and writes the rows that changed; false if one was
         * refused.
         */
        private boolean takeIn(Connection db, List<Target> rows, Set<RowKey> keys, boolean oneByOne)
                throws SQLException, UserRows.RowFailure {
            for (Map.Entry<Integer, Target> item : pending) {
                Target target = item.getValue();
                if (keys.contains(target.key)) {
                    reconcile(item.getKey(), target);
                }
            }
            stopwatch.done(ApplyPhases.Phase.RECONCILE);
            List<Target> changed = rows.stream().filter(t -> t.rowChanged).toList();
            if (!userRows.write(db, changed, oneByOne).isEmpty()) {
                return false;
            }
            written += changed.size();
            stopwatch.done(ApplyPhases.Phase.WRITE);
            return true;
        }

        /** Takes in event {@code index} with its row's reconciler; an event it cannot take becomes a dead letter. */
        private void reconcile(int index, Target target) {
            ChangeEvent event = events.get(index).event();
            Reconciliation result;
            try {
                result = target.table.reconciler().receive(target.state, target.keyImage, remoteRows.of(event, target));
            } catch (IllegalArgumentException | IllegalStateException e) {
                // A malformed version or value, or a resolver that breaks its contract: this event only.
                deadLetters.put(index, deadLetter(topic, partition, events.get(index), "PAYLOAD",
                        "event " + event.getEventId() + " for " + target.key + " cannot be taken in: " + e.getMessage()));
                LOG.warn("dead letter: event {} for {}: {}", event.getEventId(), target.key, e.getMessage());
                return;
            }
            if (result.causality() == Causality.BEFORE || result.causality() == Causality.EQUAL) {
                skipped++;
                return;
            }
            applied++;
            target.state = result.state();
            target.stateChanged = true;
            target.rowChanged |= result.rowChanged();
            forward.add(event);
            result.conflict().ifPresent(c -> settled.merge(new ConflictKind(c.table(), c.type().label()), 1,
                    Integer::sum));
            result.conflict().filter(Conflict::record)
                    .ifPresent(c -> recorded.add(new AbstractMap.SimpleEntry<>(c, Map.copyOf(target.types()))));
        }

        private static Lsn walInsertPosition(Connection db) throws SQLException {
            try (PreparedStatement statement = db.prepareStatement("SELECT pg_current_wal_insert_lsn()::text");
                 ResultSet row = statement.executeQuery()) {
                row.next();
                return Lsn.parse(row.getString(1));
            }
        }

        /** Sorts the events into targets; those that cannot be applied here become dead letters. */
        private int prepare() {
            int skipped = 0;
            // A batch is mostly one table: its name is built and looked up once per run of events, not per event.
            String lastSchema = null;
            String lastName = null;
            String tableName = null;
            ApplyTable table = null;
            for (int i = 0; i < events.size(); i++) {
                if (deadLetters.containsKey(i)) {
                    continue;
                }
                RemoteEvent remote = events.get(i);
                ChangeEvent event = remote.event();
                if (event.getOrigin().equals(config.dc())) {
                    skipped++; // our own write, come back around: nothing to learn
                    continue;
                }
                if (!event.getTable().getSchema$().equals(lastSchema) || !event.getTable().getName().equals(lastName)) {
                    lastSchema = event.getTable().getSchema$();
                    lastName = event.getTable().getName();
                    tableName = lastSchema + "." + lastName;
                    table = tables.get(tableName).orElse(null);
                }
                String problem = table == null ? tables.whyMissing(tableName) : RemoteRows.missingColumn(table, event);
                if (problem != null) {
                    deadLetters.put(i, deadLetter(topic, partition, remote, "SCHEMA", problem + "; event "
                            + event.getEventId()));
                    LOG.warn("dead letter: {} (event {})", problem, event.getEventId());
                    continue;
                }
                RowKey key = RowKey.of(tableName, event.getKey()); // one name instance per run: hashed once
                ApplyTable found = table;
                Target target = targets.computeIfAbsent(key, k -> new Target(found, k, event.getKey(),
                        RemoteRows.keyImage(event)));
                pending.add(new AbstractMap.SimpleEntry<>(i, target));
            }
            return skipped;
        }

        /**
         * Stores the settled states in this transaction, at the fence's position: it lies after every local
         * commit capture had recorded when they were read (so a replayed capture state never overwrites
         * them) and before any local commit that comes after this one (whose states capture writes later).
         */
        private boolean saveStates(Connection db, Lsn fence, List<Target> rows) throws SQLException {
            List<StoredRowState> settledStates = new ArrayList<>();
            int seq = 0;
            boolean anyStored = false;
            for (Target target : rows) {
                if (target.stateChanged) {
                    settledStates.add(new StoredRowState(target.key, target.state, fence, seq++, target.types()));
                    anyStored |= target.stored;
                }
            }
            if (settledStates.isEmpty()) {
                return true;
            }
            // Skipped (or, for rows that had none, refused) only where capture stored a state since they were read:
            // a local write of a key this batch could not lock. The decision missed it: roll back and decide again.
            if (anyStored ? rowStates.save(db, settledStates) < settledStates.size()
                    : !rowStates.insertNew(db, settledStates)) {
                return false;
            }
            if (!config.forwardsAppliedChanges()) {
                return true; // capture's slot skips this transaction: nobody reads the message
            }
            try (PreparedStatement statement = db.prepareStatement("SELECT pg_logical_emit_message(true, ?, ?)")) {
                statement.setString(1, AppliedBatchMessage.STATES_PREFIX);
                statement.setString(2, fence.toString());
                statement.execute();
            }
            return true;
        }

        /** Hands capture the events to republish, where this DC forwards (star hub, ring). */
        private void emit(Connection db, List<ChangeEvent> forward) throws SQLException {
            if (!config.forwardsAppliedChanges() || forward.isEmpty()) {
                return;
            }
            byte[] bytes = message.encode(new AppliedBatch(peer, List.of(), ForwardedEvents.of(forward)));
            try (PreparedStatement statement = db.prepareStatement("SELECT pg_logical_emit_message(true, ?, ?)")) {
                statement.setString(1, AppliedBatchMessage.PREFIX);
                statement.setBytes(2, bytes);
                statement.execute();
            }
        }

        private void progress(Connection db, ChangeEvent lastEvent) throws SQLException, Abandoned,
                InterruptedException {
            if (predecessor == null) {
                ApplyProgressStore.advance(db, topic, partition, peer, last(events).offset() + 1,
                        lastEvent.getSource().getCommitLsn());
                return;
            }
            predecessor.await();
            if (!ApplyProgressStore.advanceFrom(db, topic, partition, peer, predecessor.progress(),
                    last(events).offset() + 1, lastEvent.getSource().getCommitLsn())) {
                throw new Abandoned("concord.apply_progress of " + topic + ":" + partition + " is not at "
                        + predecessor.progress() + ", where the part before it ends");
            }
        }
    }

    /** Releases the replication origin and closes the connection. */
    @Override
    public void close() {
        barrier.close();
        connection.close();
    }
}
