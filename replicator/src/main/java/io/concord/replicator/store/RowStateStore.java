package io.concord.replicator.store;

import io.concord.event.codec.EventDecodingException;
import io.concord.replicator.capture.Lsn;
import io.concord.resolver.VersionedRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the state of replicated rows in {@code concord.row_versions}, many rows per round
 * trip: keys and values go as parameter arrays that the server unnests, a load in one statement, a
 * save in one per {@value #ROWS_PER_STATEMENT} rows.
 *
 * <p>Capture writes the states of local writes, in WAL order, each only over the state it was computed
 * from ({@link #replace}), and apply those of the rows it settles, in the apply transaction (see
 * {@code BatchApplier} for why both may). Neither method commits: they run in the
 * caller's transaction, so that capture saves the states of a batch and its progress
 * ({@link CaptureProgressStore#save}) atomically, and apply its states with its rows.
 *
 * <p><b>Rows only move forward.</b> A {@link #save} replaces a stored state only by one at a later WAL
 * position {@code (lsn, seq)}; an equal or earlier one is skipped in the statement itself. A
 * {@link #replace} writes a state only over the very one it was computed from. A WAL replay after a crash,
 * or a capture instance that lost its slot but has not noticed yet, can therefore never take a row back
 * to an older version, whatever the interleaving.
 *
 * <p>Every statement locks and writes its rows in one order, by table then key (Java string order,
 * handed to the server as array positions), and a large save goes through its statements in that
 * order too; so concurrent writers and lockers of overlapping rows queue up instead of deadlocking.
 * Thread-safe; holds no connection.
 */
public final class RowStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(RowStateStore.class);

    /** Bounds the memory one statement takes (its parameter arrays) when a huge transaction is saved. */
    static final int ROWS_PER_STATEMENT = 10_000;

    /** The order in which rows are locked and written, the same in every statement: see the type's doc. */
    private static final Comparator<RowKey> LOCK_ORDER = Comparator.comparing(RowKey::table).thenComparing(RowKey::key);

    /**
     * Each key looked up through the primary key, one index descent a key: the {@code LATERAL} subquery, kept whole
     * by its {@code LIMIT}, leaves the planner no join to choose. Given thousands of keys as a plain join it hashed the
     * whole table instead (a sequential scan of {@code concord.row_versions} a batch: 3–5 times slower at 100,000
     * stored rows, and slower still as the table grows); a backlog of updates paid it in every capture batch.
     */
    private static final String SELECT = """
            SELECT v.table_name, v.row_key, v.state, v.lsn::text, v.seq
              FROM unnest(?::text[], ?::text[]) AS k(table_name, row_key)
             CROSS JOIN LATERAL (SELECT * FROM concord.row_versions r
                                  WHERE r.table_name = k.table_name AND r.row_key = k.row_key LIMIT 1) v""";

    /** As {@link #SELECT}, locking each row as it is found, in the order of the keys given (the lock order). */
    private static final String SELECT_FOR_UPDATE = """
            SELECT v.table_name, v.row_key, v.state, v.lsn::text, v.seq
              FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS k(table_name, row_key, n)
             CROSS JOIN LATERAL (SELECT * FROM concord.row_versions r
                                  WHERE r.table_name = k.table_name AND r.row_key = k.row_key FOR UPDATE) v
             ORDER BY k.n""";

    private static final String UPSERT = """
            INSERT INTO concord.row_versions AS r (table_name, row_key, state, vector, hlc, dc, deleted, lsn, seq)
            SELECT u.t, u.k, u.s, u.v::jsonb, u.h, u.d, u.x, u.l::pg_lsn, u.q
              FROM unnest(?::text[], ?::text[], ?::bytea[], ?::text[], ?::bigint[], ?::text[], ?::boolean[],
                          ?::text[], ?::integer[]) WITH ORDINALITY AS u(t, k, s, v, h, d, x, l, q, n)
             ORDER BY u.n
            ON CONFLICT (table_name, row_key) DO UPDATE
               SET state = EXCLUDED.state, vector = EXCLUDED.vector, hlc = EXCLUDED.hlc, dc = EXCLUDED.dc,
                   deleted = EXCLUDED.deleted, lsn = EXCLUDED.lsn, seq = EXCLUDED.seq
             WHERE (r.lsn, r.seq) < (EXCLUDED.lsn, EXCLUDED.seq)""";

    /**
     * Capture's save: each row is written only over the state it was computed from. Rows that had one are
     * locked first, in the statement's order, then updated where the stored position is still the base's;
     * rows that had none are inserted, never over a row that appeared since. Returns the rows it wrote.
     *
     * <p>Rows are locked one index descent a key, in the statement's order (a {@code LATERAL} subquery: see
     * {@link #SELECT}). The update finds each locked row by the tuple id the lock returned, not by a second index
     * descent (about 13% of the statement, 1,000 random rows). A row another transaction rewrote before the lock was
     * granted is locked in its newest version, which this statement's snapshot does not see: the update
     * skips it, so it is refused — as it must be, its stored position having moved. A row only locked
     * meanwhile keeps its tuple and is updated.
     */
    private static final String REPLACE = """
            WITH u AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::bytea[], ?::text[], ?::bigint[], ?::text[],
                                     ?::boolean[], ?::text[], ?::integer[], ?::text[], ?::integer[])
                       WITH ORDINALITY AS u(t, k, s, v, h, d, x, l, q, bl, bq, n)),
            locked AS (
                SELECT r.row_id, u.n
                  FROM u CROSS JOIN LATERAL (SELECT x.ctid AS row_id FROM concord.row_versions x
                                              WHERE x.table_name = u.t AND x.row_key = u.k FOR UPDATE) r
                 WHERE u.bl IS NOT NULL ORDER BY u.n),
            updated AS (
                UPDATE concord.row_versions r
                   SET state = u.s, vector = u.v::jsonb, hlc = u.h, dc = u.d, deleted = u.x, lsn = u.l::pg_lsn,
                       seq = u.q
                  FROM locked JOIN u ON u.n = locked.n
                 WHERE r.ctid = locked.row_id AND r.lsn = u.bl::pg_lsn AND r.seq = u.bq
                RETURNING r.table_name, r.row_key),
            inserted AS (
                INSERT INTO concord.row_versions (table_name, row_key, state, vector, hlc, dc, deleted, lsn, seq)
                SELECT u.t, u.k, u.s, u.v::jsonb, u.h, u.d, u.x, u.l::pg_lsn, u.q FROM u WHERE u.bl IS NULL
                 ORDER BY u.n
                ON CONFLICT (table_name, row_key) DO NOTHING
                RETURNING table_name, row_key)
            SELECT table_name, row_key FROM updated UNION ALL SELECT table_name, row_key FROM inserted""";

    /** {@link #insert}'s statement for fewer rows than a copy is worth: a plain insert, the same columns. */
    private static final String INSERT_NEW = """
            INSERT INTO concord.row_versions (table_name, row_key, state, vector, hlc, dc, deleted, lsn, seq)
            SELECT u.t, u.k, u.s, u.v::jsonb, u.h, u.d, u.x, u.l::pg_lsn, u.q
              FROM unnest(?::text[], ?::text[], ?::bytea[], ?::text[], ?::bigint[], ?::text[], ?::boolean[],
                          ?::text[], ?::integer[]) WITH ORDINALITY AS u(t, k, s, v, h, d, x, l, q, n)
             ORDER BY u.n""";

    /** The columns {@link #insert} copies, in its order. */
    private static final String COPIED_COLUMNS = "table_name, row_key, state, vector, hlc, dc, deleted, lsn, seq";

    /** SQLSTATE of a unique violation: here, only a row's key already stored. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final RowStateCodec codec = new RowStateCodec();

    /**
     * The stored states of these rows; a row with no stored state is absent from the map.
     *
     * @throws IllegalStateException if a stored state cannot be read (names the row)
     */
    public Map<RowKey, StoredRowState> load(Connection connection, Collection<RowKey> keys) throws SQLException {
        return select(connection, keys, SELECT);
    }

    /**
     * As {@link #load}, and locks the stored rows ({@code FOR UPDATE}) until the caller's transaction
     * ends, so that nothing else writes their state meanwhile. Rows with no stored state are not locked:
     * nothing exists to lock.
     *
     * <p>For the applier, and only <em>after</em> it has waited for capture to pass the WAL position
     * read once the target rows were locked. Capture writes these very rows: locked before that wait,
     * capture would block on them while the applier waits for capture, and neither would move again
     * (PostgreSQL cannot see the wait, so it reports no deadlock).
     */
    public Map<RowKey, StoredRowState> loadForUpdate(Connection connection, Collection<RowKey> keys)
            throws SQLException {
        return select(connection, keys, SELECT_FOR_UPDATE);
    }

    /** Stored states, and a number read in the same snapshot ({@link #loadWithMark}). */
    public record Marked(Map<RowKey, StoredRowState> states, long mark) {
    }

    /**
     * As {@link #load}, and in the same statement (one round trip, one snapshot) the value of {@code markQuery}, a
     * constant scalar query returning a bigint that is never null (e.g. a {@code coalesce(sum(...), 0)}). The states
     * come in a new mutable map the caller may keep and add to.
     */
    public Marked loadWithMark(Connection connection, Collection<RowKey> keys, String markQuery) throws SQLException {
        Collection<RowKey> distinct = keys instanceof Set<RowKey> set ? set : new HashSet<>(keys);
        Map<RowKey, StoredRowState> states = new HashMap<>(distinct.size() * 2);
        // The mark's one-row subquery leads, so that a row comes back even when no state is stored.
        String sql = "SELECT m.mark, s.* FROM (SELECT (" + markQuery + ") AS mark) m LEFT JOIN (" + SELECT
                + ") s ON true";
        long mark = 0;
        try (PreparedStatement statement = connection.prepareStatement(sql);
             SqlArrays arrays = new SqlArrays(connection, statement)) {
            bindKeys(arrays, distinct);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    mark = rows.getLong(1);
                    if (rows.getString(2) != null) {
                        StoredRowState state = read(rows, 1);
                        states.put(state.key(), state);
                    }
                }
            }
        }
        return new Marked(states, mark);
    }

    private Map<RowKey, StoredRowState> select(Connection connection, Collection<RowKey> keys, String sql)
            throws SQLException {
        // Only a locking read needs the lock order; a plain one takes the keys as they come (sorting them was 6% of
        // capture's thread).
        Collection<RowKey> distinct;
        if (sql.equals(SELECT_FOR_UPDATE)) {
            TreeSet<RowKey> sorted = new TreeSet<>(LOCK_ORDER);
            sorted.addAll(keys);
            distinct = sorted;
        } else {
            distinct = keys instanceof Set<RowKey> set ? set : new HashSet<>(keys);
        }
        Map<RowKey, StoredRowState> states = new HashMap<>(distinct.size() * 2);
        if (distinct.isEmpty()) {
            return states;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql);
             SqlArrays arrays = new SqlArrays(connection, statement)) {
            bindKeys(arrays, distinct);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    StoredRowState state = read(rows);
                    states.put(state.key(), state);
                }
            }
        }
        return states;
    }

    /** Binds the keys as {@link #SELECT}'s two arrays, tables and keys, in the order given. */
    private static void bindKeys(SqlArrays arrays, Collection<RowKey> keys) throws SQLException {
        String[] tables = new String[keys.size()];
        String[] rowKeys = new String[keys.size()];
        int i = 0;
        for (RowKey key : keys) {
            tables[i] = key.table();
            rowKeys[i++] = key.key();
        }
        arrays.bind(1, "text", tables);
        arrays.bind(2, "text", rowKeys);
    }

    private StoredRowState read(ResultSet row) throws SQLException {
        return read(row, 0);
    }

    /** Reads the state in columns {@code skip + 1} to {@code skip + 5} (as {@link #SELECT} lists them). */
    private StoredRowState read(ResultSet row, int skip) throws SQLException {
        RowKey key = new RowKey(row.getString(skip + 1), row.getString(skip + 2));
        Lsn lsn = Lsn.parse(row.getString(skip + 4));
        try {
            RowStateCodec.Decoded decoded = codec.decode(row.getBytes(skip + 3));
            return new StoredRowState(key, decoded.state(), lsn, row.getInt(skip + 5), decoded.columnTypes());
        } catch (EventDecodingException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the stored state of " + key + " (saved at LSN " + lsn
                    + ", seq " + row.getInt(skip + 5) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Upserts these states, up to {@value #ROWS_PER_STATEMENT} rows per statement. A stored row is
     * overwritten only by a state at a later {@code (lsn, seq)}; when the collection holds one row more
     * than once, its latest state is saved (of two at the same position, the first).
     *
     * @return how many rows it wrote: fewer than distinct keys given when some were stored at the same or a
     *     later position already
     * @throws IllegalArgumentException if a state cannot be encoded (a column without a type, a value
     *     that does not fit its type); the caller must roll back, as earlier statements may have run
     */
    public int save(Connection connection, Collection<StoredRowState> states) throws SQLException {
        List<StoredRowState> rows = latestInLockOrder(states);
        int written = 0;
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            written += upsert(connection, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
        }
        if (written < rows.size() && LOG.isDebugEnabled()) {
            LOG.debug("saved {} row states; {} were already stored at the same or a later WAL position",
                    written, rows.size() - written);
        }
        return written;
    }

    /**
     * Inserts the states of rows that had none when the caller read them, up to {@value #ROWS_PER_STATEMENT} rows per
     * statement (of one row given more than once, its latest state).
     *
     * @return false if a row has a stored state by now: nothing may be kept, the caller must roll back (its
     *     transaction is aborted) and read the states again
     * @throws IllegalArgumentException if a state cannot be encoded (as {@link #save})
     */
    public boolean insertNew(Connection connection, Collection<StoredRowState> states) throws SQLException {
        List<StoredRowState> rows = latestInLockOrder(states);
        try {
            for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                insert(connection, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
            }
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Writes each state only over the one it was computed from: {@code bases} gives, for every row, the
     * stored state the caller read and versioned on (null: it found none). Capture's save — whoever else
     * stored a state of the row since (apply, settling a peer's change of a key capture read before that
     * commit was visible, or before it happened) must not be overwritten by a state that never saw theirs.
     * The states at the same row keep the latest, as in {@link #save}; positions need not move forward
     * here (a state versioned on top of one stored at a later fence position is still the newer state).
     * Runs in the caller's transaction; nothing written is visible until it commits.
     *
     * @return the rows not written because their stored state is no longer the base: the caller must roll
     *     back and version their changes again from the stored state. Where a statement of rows that all had no
     *     state (a plain insert, {@link #insert}) finds one stored, every row given is returned, the transaction
     *     being aborted
     * @throws IllegalArgumentException if a state cannot be encoded (as {@link #save})
     */
    public Set<RowKey> replace(Connection connection, Collection<StoredRowState> states,
            Function<RowKey, StoredRowState> bases) throws SQLException {
        List<StoredRowState> rows = latestInLockOrder(states);
        // A hash set while rows are crossed off (a sorted one was 7% of capture's thread); sorted for the caller.
        Set<RowKey> refused = new HashSet<>(rows.size() * 2);
        rows.forEach(row -> refused.add(row.key()));
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<StoredRowState> part = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            String[] baseLsns = new String[part.size()];
            Integer[] baseSeqs = new Integer[part.size()];
            boolean anyBase = false;
            for (int i = 0; i < part.size(); i++) {
                StoredRowState base = bases.apply(part.get(i).key());
                baseLsns[i] = base == null ? null : base.lsn().toString();
                baseSeqs[i] = base == null ? null : base.seq();
                anyBase |= base != null;
            }
            if (!anyBase) {
                try {
                    insert(connection, part);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // The server does not say which key it found, and the transaction is aborted: nothing is kept.
                    rows.forEach(row -> refused.add(row.key()));
                    break;
                }
                part.forEach(row -> refused.remove(row.key()));
                continue;
            }
            Columns columns = new Columns(part.size());
            part.forEach(columns::add);
            try (PreparedStatement statement = connection.prepareStatement(REPLACE);
                 SqlArrays arrays = new SqlArrays(connection, statement)) {
                columns.bind(arrays);
                arrays.bind(10, "text", baseLsns);
                arrays.bind(11, "int4", baseSeqs);
                try (ResultSet written = statement.executeQuery()) {
                    while (written.next()) {
                        refused.remove(new RowKey(written.getString(1), written.getString(2)));
                    }
                }
            }
        }
        if (refused.isEmpty()) {
            return Set.of();
        }
        Set<RowKey> sorted = new TreeSet<>(LOCK_ORDER);
        sorted.addAll(refused);
        return sorted;
    }

    /** Of each row given more than once its latest state, all in the order every statement locks and writes rows. */
    private static List<StoredRowState> latestInLockOrder(Collection<StoredRowState> states) {
        Map<RowKey, StoredRowState> latest = new LinkedHashMap<>();
        for (StoredRowState state : states) {
            latest.merge(state.key(), state, (kept, next) -> next.isAfter(kept) ? next : kept);
        }
        List<StoredRowState> rows = new ArrayList<>(latest.values());
        rows.sort(Comparator.comparing(StoredRowState::key, LOCK_ORDER));
        return rows;
    }

    /**
     * Inserts rows none of which may be stored yet (capture's states of new rows, apply's of new keys) with {@code
     * COPY} ({@link #INSERT_NEW} for fewer than {@value CopyRows#FEWEST_ROWS}): a plain insert, so a key stored
     * meanwhile fails it with a unique violation (the caller rolls back and reads again). Without the lock and update parts of {@link #REPLACE} and {@code ON CONFLICT}'s speculative
     * insertion (together about 30% of an upsert of new keys, 1,000-row statements in psql), and without parameter
     * arrays to parse and unnest: against the {@code INSERT ... SELECT FROM unnest(...)} it replaced, with apply's
     * new rows copied too, {@code b}'s CPU on scenario 2's backlog went from 4.3–5.4 s to 3.4 s (session 13).
     */
    private void insert(Connection connection, List<StoredRowState> rows) throws SQLException {
        if (rows.size() < CopyRows.FEWEST_ROWS) {
            write(connection, INSERT_NEW, rows);
            return;
        }
        CopyRows copy = new CopyRows(connection, "concord.row_versions", COPIED_COLUMNS);
        try {
            for (StoredRowState stored : rows) {
                VersionedRow current = stored.state().current();
                byte[] state;
                String vector;
                try {
                    state = codec.encode(stored.state(), stored.columnTypes());
                    vector = vectorJson(current.version().vector().toMap());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cannot store the state of " + stored.key() + ": "
                            + e.getMessage(), e);
                }
                copy.text(stored.key().table()).text(stored.key().key()).bytes(state).text(vector)
                        .number(current.version().hlc()).text(current.version().dc().value())
                        .bool(current.isTombstone()).text(stored.lsn().toString()).number(stored.seq());
                copy.endRow();
            }
            copy.finish();
        } finally {
            copy.cancelIfActive();
        }
    }

    /** Upserts one statement's worth of rows; returns how many it wrote. */
    private int upsert(Connection connection, List<StoredRowState> rows) throws SQLException {
        return write(connection, UPSERT, rows);
    }

    /** Runs {@code sql}, which takes the rows' columns as parameters 1 to 9; returns the rows it wrote. */
    private int write(Connection connection, String sql, List<StoredRowState> rows) throws SQLException {
        Columns columns = new Columns(rows.size());
        rows.forEach(columns::add);
        try (PreparedStatement statement = connection.prepareStatement(sql);
             SqlArrays arrays = new SqlArrays(connection, statement)) {
            columns.bind(arrays);
            return statement.executeUpdate();
        }
    }

    /** The statement's parameter arrays: the encoded state and its readable projection, per row. */
    private final class Columns {

        final String[] tables;
        final String[] keys;
        final byte[][] states;
        final String[] vectors;
        final Long[] hlcs;
        final String[] dcs;
        final Boolean[] deleted;
        final String[] lsns;
        final Integer[] seqs;
        private int next;

        Columns(int size) {
            tables = new String[size];
            keys = new String[size];
            states = new byte[size][];
            vectors = new String[size];
            hlcs = new Long[size];
            dcs = new String[size];
            deleted = new Boolean[size];
            lsns = new String[size];
            seqs = new Integer[size];
        }

        /** Binds the columns as parameters 1 to 9, in the order both statements take them. */
        void bind(SqlArrays arrays) throws SQLException {
            arrays.bind(1, "text", tables);
            arrays.bind(2, "text", keys);
            arrays.bind(3, "bytea", states);
            arrays.bind(4, "text", vectors);
            arrays.bind(5, "int8", hlcs);
            arrays.bind(6, "text", dcs);
            arrays.bind(7, "bool", deleted);
            arrays.bind(8, "text", lsns);
            arrays.bind(9, "int4", seqs);
        }

        void add(StoredRowState stored) {
            VersionedRow current = stored.state().current();
            int i = next++;
            tables[i] = stored.key().table();
            keys[i] = stored.key().key();
            try {
                states[i] = codec.encode(stored.state(), stored.columnTypes());
                vectors[i] = vectorJson(current.version().vector().toMap());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot store the state of " + stored.key() + ": " + e.getMessage(),
                        e);
            }
            hlcs[i] = current.version().hlc();
            dcs[i] = current.version().dc().value();
            deleted[i] = current.isTombstone();
            lsns[i] = stored.lsn().toString();
            seqs[i] = stored.seq();
        }
    }

    /**
     * The vector as a JSON object, {@code {"a":3,"b":1}}, written by hand for every row stored: DC ids are letters,
     * digits, '.', '_' and '-' ({@code DcId}), nothing JSON escapes.
     */
    static String vectorJson(Map<String, Long> vector) {
        StringBuilder json = new StringBuilder(2 + 16 * vector.size()).append('{');
        vector.forEach((dc, counter) -> json.append(json.length() > 1 ? ",\"" : "\"").append(dc).append("\":")
                .append(counter));
        return json.append('}').toString();
    }
}
