package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.replicator.capture.Lsn;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import io.concord.version.RowVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Row states in a real PostgreSQL: exact round trips, rows that only move forward, many rows per statement. */
class RowStateStoreIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final Map<String, String> TYPES = Map.of("id", "int8", "note", "text");

    private static Connection connection;
    private final RowStateStore store = new RowStateStore();

    @BeforeAll
    static void install() throws SQLException {
        connection = cluster.postgres("a").connect();
        ConcordSchema.apply(connection);
        connection.setAutoCommit(false);
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM concord.row_versions");
        }
        connection.commit();
    }

    @Test
    void savesAndLoadsStatesOfConcurrentlyWrittenRowsExactly() throws SQLException {
        List<StoredRowState> saved = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            RandomRowStates rows = new RandomRowStates(seed);
            for (RowState state : rows.history(10)) {
                RowKey key = new RowKey(RandomRowStates.TABLE, "[\"" + saved.size() + "\"]");
                saved.add(new StoredRowState(key, state, Lsn.of(0x1000L + saved.size()), saved.size() % 3, rows.types()));
            }
        }
        store.save(connection, saved);
        connection.commit();
        List<RowKey> keys = new ArrayList<>(saved.stream().map(StoredRowState::key).toList());
        keys.add(new RowKey(RandomRowStates.TABLE, "[\"never written\"]"));

        Map<RowKey, StoredRowState> loaded = store.load(connection, keys);
        connection.commit();

        assertThat(loaded).hasSize(saved.size());
        assertThat(saved.stream().filter(s -> s.state().siblings().size() > 1)).as("merge states").hasSizeGreaterThan(20);
        assertThat(saved.stream().filter(s -> s.state().current().isTombstone())).as("tombstones").hasSizeGreaterThan(10);
        for (StoredRowState expected : saved) {
            StoredRowState actual = loaded.get(expected.key());
            assertThat(actual.state()).as("%s", expected.key()).isEqualTo(expected.state());
            assertThat(actual.lsn()).isEqualTo(expected.lsn());
            assertThat(actual.seq()).isEqualTo(expected.seq());
            assertThat(expected.columnTypes()).containsAllEntriesOf(actual.columnTypes());
            assertThat(store.load(connection, List.of(expected.key())).get(expected.key()).state())
                    .isEqualTo(actual.state());
        }
    }

    @Test
    void loadsStatesWithAMarkReadInTheSameStatement() throws SQLException {
        RandomRowStates rows = new RandomRowStates(7);
        List<StoredRowState> saved = new ArrayList<>();
        for (RowState state : rows.history(3)) {
            RowKey key = new RowKey(RandomRowStates.TABLE, "[\"m" + saved.size() + "\"]");
            saved.add(new StoredRowState(key, state, Lsn.of(0x2000L + saved.size()), 0, rows.types()));
        }
        store.save(connection, saved);
        connection.commit();
        String mark = "SELECT count(*) FROM concord.row_versions";
        List<RowKey> keys = new ArrayList<>(saved.stream().map(StoredRowState::key).toList());
        keys.add(new RowKey(RandomRowStates.TABLE, "[\"never written\"]"));

        RowStateStore.Marked loaded = store.loadWithMark(connection, keys, mark);
        RowStateStore.Marked none = store.loadWithMark(connection, List.of(new RowKey(RandomRowStates.TABLE, "[\"x\"]")),
                mark);
        RowStateStore.Marked noKeys = store.loadWithMark(connection, List.of(), mark);
        connection.commit();

        assertThat(loaded.mark()).isEqualTo(saved.size());
        assertThat(loaded.states()).hasSize(saved.size());
        for (StoredRowState expected : saved) {
            assertThat(loaded.states().get(expected.key()).state()).isEqualTo(expected.state());
            assertThat(loaded.states().get(expected.key()).lsn()).isEqualTo(expected.lsn());
        }
        assertThat(none.states()).as("no stored state: the mark still comes back").isEmpty();
        assertThat(none.mark()).isEqualTo(saved.size());
        assertThat(noKeys.mark()).isEqualTo(saved.size());
    }

    @Test
    void keepsTheCurrentVersionReadableForPeople() throws SQLException {
        RowKey key = new RowKey("public.t", "[\"1\"]");
        RowVersion version = RowVersion.parse("a:3,b:1@1700000000000007/b");
        store.save(connection, List.of(new StoredRowState(key, RowState.of(VersionedRow.tombstone(version)),
                Lsn.parse("16/B374D848"), 4, Map.of())));
        connection.commit();

        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT vector::text, hlc, dc, deleted, lsn::text, seq FROM concord.row_versions")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("{\"a\": 3, \"b\": 1}");
            assertThat(row.getLong(2)).isEqualTo(1_700_000_000_000_007L);
            assertThat(row.getString(3)).isEqualTo("b");
            assertThat(row.getBoolean(4)).isTrue();
            assertThat(row.getString(5)).isEqualTo("16/B374D848");
            assertThat(row.getInt(6)).isEqualTo(4);
        }
        connection.commit();
    }

    @Test
    void aRowOnlyMovesForwardInLsnAndSeq() throws SQLException {
        RowKey key = new RowKey("public.t", "[\"1\"]");
        save(key, "0/20", 3, "stored");

        save(key, "0/20", 2, "earlier change of the same transaction");
        save(key, "0/1F", 9, "earlier transaction");
        save(key, "0/20", 3, "the same position replayed");
        assertThat(noteOf(key)).isEqualTo("stored");

        save(key, "0/20", 4, "later change of the same transaction");
        assertThat(noteOf(key)).isEqualTo("later change of the same transaction");
        save(key, "0/21", 0, "later transaction");
        assertThat(noteOf(key)).isEqualTo("later transaction");
        assertThat(store.load(connection, List.of(key)).get(key).lsn()).isEqualTo(Lsn.parse("0/21"));
        connection.commit();
    }

    @Test
    void aReplacementIsWrittenOnlyOverTheStateItWasComputedFrom() throws SQLException {
        RowKey kept = new RowKey("public.t", "[\"1\"]");
        RowKey moved = new RowKey("public.t", "[\"2\"]");
        RowKey fresh = new RowKey("public.t", "[\"3\"]");
        RowKey appeared = new RowKey("public.t", "[\"4\"]");
        StoredRowState keptBase = stored(kept, "0/90", 0, "base");
        StoredRowState movedBase = stored(moved, "0/90", 1, "base");
        store.save(connection, List.of(keptBase, stored(moved, "0/95", 0, "stored by apply since"),
                stored(appeared, "0/95", 1, "stored by apply since")));
        connection.commit();
        Map<RowKey, StoredRowState> bases = new java.util.HashMap<>(Map.of(kept, keptBase, moved, movedBase));

        var refused = store.replace(connection, List.of(stored(kept, "0/80", 0, "local write on top of the base"),
                stored(moved, "0/99", 0, "local write on a stale base"), stored(fresh, "0/99", 1, "first write"),
                stored(appeared, "0/99", 2, "first write, but a row appeared")), bases::get);
        connection.commit();

        assertThat(refused).containsExactlyInAnyOrder(moved, appeared);
        assertThat(noteOf(kept)).as("written over its base, even at an earlier position").isEqualTo(
                "local write on top of the base");
        assertThat(noteOf(moved)).isEqualTo("stored by apply since");
        assertThat(noteOf(fresh)).isEqualTo("first write");
        assertThat(noteOf(appeared)).isEqualTo("stored by apply since");
        connection.commit();
    }

    /**
     * A batch of new keys only (a stream of inserts) takes the insert-only statement: the same rule, but a key stored
     * meanwhile fails the statement, so every row of the save is refused and the caller rolls back.
     */
    @Test
    void aReplacementOfNewKeysOnlyIsRefusedWholeWhereOneAppeared() throws SQLException {
        RowKey fresh = new RowKey("public.t", "[\"5\"]");
        RowKey appeared = new RowKey("public.t", "[\"6\"]");
        store.save(connection, List.of(stored(appeared, "0/C5", 0, "stored by apply since")));
        connection.commit();

        var refused = store.replace(connection, List.of(stored(fresh, "0/C9", 0, "first write"),
                stored(appeared, "0/C9", 1, "first write, but a row appeared")), key -> null);
        connection.rollback();

        assertThat(refused).containsExactly(fresh, appeared);
        assertThat(store.load(connection, List.of(fresh))).isEmpty();
        assertThat(noteOf(appeared)).isEqualTo("stored by apply since");
        connection.commit();

        assertThat(store.replace(connection, List.of(stored(fresh, "0/C9", 0, "first write")), key -> null)).isEmpty();
        connection.commit();
        assertThat(noteOf(fresh)).isEqualTo("first write");
        connection.commit();
    }

    /** Apply's insert of states for rows that had none: all of them, or (one stored meanwhile) false and nothing. */
    @Test
    void newStatesAreInsertedOnlyWhereNoneIsStoredYet() throws SQLException {
        RowKey first = new RowKey("public.t", "[\"7\"]");
        RowKey second = new RowKey("public.t", "[\"8\"]");
        assertThat(store.insertNew(connection, List.of(stored(first, "0/D0", 0, "applied")))).isTrue();
        connection.commit();

        assertThat(store.insertNew(connection, List.of(stored(second, "0/D8", 0, "applied"),
                stored(first, "0/D8", 1, "applied again, as if new")))).isFalse();
        connection.rollback();
        assertThat(noteOf(first)).isEqualTo("applied");
        assertThat(store.load(connection, List.of(second))).isEmpty();
        connection.commit();
    }

    /**
     * As many new states as a copy is worth go in by COPY, whose text format escapes tabs, newlines and backslashes:
     * exactly as given, and a copy meeting a key stored meanwhile keeps nothing.
     */
    @Test
    void manyNewStatesGoInExactlyByCopyAndACopyMeetingAStoredKeyKeepsNothing() throws SQLException {
        int count = CopyRows.FEWEST_ROWS + 100;
        List<StoredRowState> all = manyStates(2 * count);
        List<StoredRowState> states = new ArrayList<>(all.subList(0, count));
        RowKey awkward = new RowKey("public.orders", "[\"tab\\there \\\\ back\\nslash\"]");
        states.add(stored(awkward, "0/E0", 0, "tab\there\nnew line\r \\ back\\N"));

        assertThat(store.insertNew(connection, states)).isTrue();
        connection.commit();
        Map<RowKey, StoredRowState> loaded = store.load(connection, states.stream().map(StoredRowState::key).toList());
        connection.commit();
        assertThat(loaded).hasSize(states.size());
        for (StoredRowState state : states) {
            assertThat(loaded.get(state.key()).state()).as("%s", state.key()).isEqualTo(state.state());
        }
        assertThat(noteOf(awkward)).isEqualTo("tab\there\nnew line\r \\ back\\N");

        List<StoredRowState> more = new ArrayList<>(all.subList(count, 2 * count));
        more.add(stored(awkward, "0/F0", 0, "stored already"));
        assertThat(store.insertNew(connection, more)).isFalse();
        connection.rollback();
        assertThat(store.load(connection, more.stream().map(StoredRowState::key).toList())).containsOnlyKeys(awkward);
        connection.commit();
    }

    /** The race the condition is for: apply stores a state of the row while the replacement waits for it. */
    @Test
    void aReplacementWaitingForAConcurrentStoreIsRefusedOnceThatCommits() throws Exception {
        RowKey key = new RowKey("public.t", "[\"1\"]");
        Set<RowKey> refused = replaceWhileAnotherTransactionHolds(key,
                apply -> store.save(apply, List.of(stored(key, "0/A8", 0, "stored by apply"))));
        assertThat(refused).containsExactly(key);
        assertThat(noteOf(key)).isEqualTo("stored by apply");
        connection.commit();
    }

    /** The other side of that race: a row another transaction only locked is still replaced once it lets go. */
    @Test
    void aReplacementWaitingForAConcurrentLockIsWrittenOnceThatEnds() throws Exception {
        RowKey key = new RowKey("public.t", "[\"1\"]");
        Set<RowKey> refused = replaceWhileAnotherTransactionHolds(key,
                apply -> assertThat(store.loadForUpdate(apply, List.of(key))).containsKey(key));
        assertThat(refused).isEmpty();
        assertThat(noteOf(key)).isEqualTo("local write");
        connection.commit();
    }

    /** Something another transaction does to a stored row, holding its lock until it commits. */
    @FunctionalInterface
    private interface OtherTransaction {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Stores a base state of {@code key}, lets {@code other} act on the row in a transaction of its own, replaces the
     * base with a local write meanwhile (it waits for that transaction's lock), commits the other transaction, and
     * returns what the replacement refused.
     */
    private Set<RowKey> replaceWhileAnotherTransactionHolds(RowKey key, OtherTransaction other) throws Exception {
        StoredRowState base = stored(key, "0/A0", 0, "base");
        store.save(connection, List.of(base));
        connection.commit();
        Set<RowKey> refused;
        try (Connection apply = cluster.postgres("a").connect()) {
            apply.setAutoCommit(false);
            other.run(apply);
            var replacing = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return store.replace(connection, List.of(stored(key, "0/B0", 0, "local write")), k -> base);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> waitingForLocks() > 0);
            apply.commit();
            refused = replacing.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        connection.commit();
        return refused;
    }

    private static int waitingForLocks() throws SQLException {
        try (Connection observer = cluster.postgres("a").connect(); Statement statement = observer.createStatement();
             ResultSet rows = statement.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void ofOneRowSavedTwiceInABatchTheLaterStateWins() throws SQLException {
        RowKey key = new RowKey("public.t", "[\"1\"]");

        store.save(connection, List.of(stored(key, "0/30", 1, "later"), stored(key, "0/30", 0, "earlier")));
        connection.commit();

        assertThat(noteOf(key)).isEqualTo("later");
        connection.commit();
    }

    @Test
    void aStateThatCannotBeEncodedWritesNothing() throws SQLException {
        RowKey good = new RowKey("public.t", "[\"1\"]");
        RowKey untyped = new RowKey("public.t", "[\"2\"]");
        StoredRowState withoutTypes = new StoredRowState(untyped, stored(untyped, "0/1", 0, "x").state(),
                Lsn.parse("0/1"), 0, Map.of("id", "int8"));

        assertThatThrownBy(() -> store.save(connection, List.of(stored(good, "0/1", 0, "fine"), withoutTypes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot store the state of public.t[\"2\"]")
                .hasMessageContaining("no PostgreSQL type known for column 'note'");
        connection.rollback();

        assertThat(store.load(connection, List.of(good, untyped))).isEmpty();
        connection.commit();
    }

    @Test
    void loadForUpdateLocksTheStoredRowsUntilTheTransactionEnds() throws SQLException {
        RowKey key = new RowKey("public.t", "[\"1\"]");
        save(key, "0/10", 0, "locked");
        connection.commit();

        assertThat(store.loadForUpdate(connection, List.of(key, new RowKey("public.t", "[\"absent\"]")))).containsOnlyKeys(key);

        try (Connection other = cluster.postgres("a").connect();
             PreparedStatement lock = other.prepareStatement(
                     "SELECT 1 FROM concord.row_versions WHERE table_name = ? AND row_key = ? FOR UPDATE NOWAIT")) {
            lock.setString(1, key.table());
            lock.setString(2, key.key());
            assertThatThrownBy(lock::executeQuery).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("55P03");
            connection.commit();
            try (ResultSet row = lock.executeQuery()) {
                assertThat(row.next()).as("free once the transaction ended").isTrue();
            }
        }
    }

    @Test
    void aStoredStateThatCannotBeReadNamesItsRow() throws SQLException {
        RowKey key = new RowKey("public.t", "[\"1\"]");
        save(key, "0/10", 0, "fine");
        try (Statement statement = connection.createStatement()) {
            statement.execute("UPDATE concord.row_versions SET state = '\\xc30100'");
        }

        assertThatThrownBy(() -> store.load(connection, List.of(key)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read the stored state of public.t[\"1\"] (saved at LSN 0/10, seq 0)");
        connection.rollback();
    }

    @Test
    void loadsFiveThousandRowsInOneCall() throws SQLException {
        List<StoredRowState> states = manyStates(5_000);
        store.save(connection, states);
        connection.commit();
        List<RowKey> keys = states.stream().map(StoredRowState::key).toList();

        long start = System.nanoTime();
        Map<RowKey, StoredRowState> loaded = store.load(connection, keys);
        long cold = (System.nanoTime() - start) / 1000;
        start = System.nanoTime();
        store.load(connection, keys);
        long warm = (System.nanoTime() - start) / 1000;
        connection.commit();

        assertThat(loaded).hasSize(5_000);
        assertThat(loaded.get(states.get(4_999).key()).state()).isEqualTo(states.get(4_999).state());
        System.out.printf("RowStateStoreIT: loaded 5,000 row states in one call in %,d µs (again: %,d µs)%n", cold, warm);
    }

    @Test
    void aSaveLargerThanOneStatementIsSavedWhole() throws SQLException {
        List<StoredRowState> states = manyStates(2 * RowStateStore.ROWS_PER_STATEMENT + 1);

        store.save(connection, states);
        connection.commit();

        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM concord.row_versions")) {
            row.next();
            assertThat(row.getInt(1)).isEqualTo(states.size());
        }
        StoredRowState last = states.get(states.size() - 1);
        assertThat(store.load(connection, List.of(last.key())).get(last.key()).state()).isEqualTo(last.state());
        connection.commit();
    }

    @Test
    void printsHowLongSavingTenThousandStatesTakes() throws SQLException {
        store.save(connection, manyStates(1_000));
        connection.rollback();
        List<StoredRowState> states = manyStates(10_000);

        long start = System.nanoTime();
        store.save(connection, states);
        connection.commit();
        long inserted = (System.nanoTime() - start) / 1000;
        List<StoredRowState> next = states.stream()
                .map(s -> s.next(s.state(), Lsn.of(s.lsn().value() + 0x100000), 0, Map.of())).toList();
        start = System.nanoTime();
        store.save(connection, next);
        connection.commit();
        long updated = (System.nanoTime() - start) / 1000;

        long bytes;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT avg(length(state)) FROM concord.row_versions")) {
            row.next();
            bytes = row.getLong(1);
        }
        connection.commit();
        System.out.printf("RowStateStoreIT: saved 10,000 row states (avg %d bytes encoded) in %,d µs as inserts, "
                + "%,d µs as updates, each in one statement and commit%n", bytes, inserted, updated);
    }

    /** States of a small table (id, note), one key each, a tenth of them with two siblings, some tombstones. */
    private static List<StoredRowState> manyStates(int count) {
        List<StoredRowState> states = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            RowKey key = new RowKey("public.orders", "[\"" + i + "\"]");
            RowImage row = RowImage.of(Map.of("id", (long) i, "note", "order number " + i + " of many"));
            VersionedRow a = VersionedRow.live(Operation.UPDATE, row, RowVersion.parse("a:" + (1 + i % 7) + "@17000000000" + (10000 + i) + "/a"));
            RowState state;
            if (i % 10 == 0) {
                VersionedRow b = VersionedRow.tombstone(RowVersion.parse("b:1@17000000000" + (10000 + i) + "/b"));
                state = new RowState(List.of(a, b), b.withVersion(a.version().merge(b.version())));
            } else {
                state = RowState.of(a);
            }
            states.add(new StoredRowState(key, state, Lsn.of(0x5000000L + i), 0, TYPES));
        }
        return states;
    }

    private void save(RowKey key, String lsn, int seq, String note) throws SQLException {
        store.save(connection, List.of(stored(key, lsn, seq, note)));
    }

    private static StoredRowState stored(RowKey key, String lsn, int seq, String note) {
        RowImage row = RowImage.of(Map.of("id", 1L, "note", note));
        RowState state = RowState.of(VersionedRow.live(Operation.UPDATE, row, RowVersion.parse("a:1@1700000000000000/a")));
        return new StoredRowState(key, state, Lsn.parse(lsn), seq, TYPES);
    }

    private String noteOf(RowKey key) throws SQLException {
        return (String) store.load(connection, List.of(key)).get(key).state().current().row().get("note");
    }
}
