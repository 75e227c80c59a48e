package io.concord.replicator.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes a backlog on {@code a} fast, from inside PostgreSQL: a DO block that commits after every
 * transaction's worth of rows, so that the WAL holds exactly the transactions a scenario asks for without
 * 200,000 client round trips. Only the loading session turns {@code synchronous_commit} off (the server keeps
 * fsync on): the transactions in the WAL are the same, the load just does not wait for each flush, and how
 * fast the load runs is not what is measured.
 *
 * <p>DO blocks take no bind parameters; the numbers formatted into them are the bench's own integers.
 */
final class BacklogLoader {

    /** The row whose {@code k} frames a backlog: {@link #START} before it, {@link #END} after it. */
    static final long MARKER_ID = 0;
    static final int START = 1;
    static final int END = 2;

    private BacklogLoader() {
    }

    /** The marker row, before replication pauses, so that it exists on both sides. */
    static void insertMarker(Db db) throws SQLException {
        db.execute("INSERT INTO items VALUES (" + MARKER_ID + ", 0, 'marker', now())");
    }

    /** Rows {@code 1..rows} in transactions of 1,000 rows, each committed (the set-up of the update scenario). */
    static void preload(Db db, int rows) throws SQLException {
        run(db, """
                DO $$ BEGIN
                  FOR t IN 0..%d LOOP
                    INSERT INTO items SELECT g, 0, md5(g::text), clock_timestamp()
                      FROM generate_series(t * 1000 + 1, least(t * 1000 + 1000, %d)) g;
                    COMMIT;
                  END LOOP;
                END $$""".formatted((rows - 1) / 1000, rows));
    }

    /**
     * The start marker, {@code transactions} transactions of {@code rowsPerTransaction} new rows each (ids
     * from 1), the end marker: {@code transactions * rowsPerTransaction + 2} row changes.
     */
    static void inserts(Db db, int transactions, int rowsPerTransaction) throws SQLException {
        run(db, marker(START), insertBlock(transactions, rowsPerTransaction, ""), marker(END));
    }

    /**
     * The DO block that writes {@code transactions} transactions of {@code rowsPerTransaction} new rows (ids from 1),
     * each committed. {@code alsoEachTransaction} (or empty) is more SQL for each transaction, after its rows; in it
     * {@code {ids}} stands for the transaction's ids as a row source, {@code generate_series(first, last) g}.
     */
    static String insertBlock(int transactions, int rowsPerTransaction, String alsoEachTransaction) {
        String ids = "generate_series(t * %d + 1, t * %d + %d) g".formatted(rowsPerTransaction, rowsPerTransaction,
                rowsPerTransaction);
        return """
                DO $$ BEGIN
                  FOR t IN 0..%d LOOP
                    INSERT INTO items SELECT g, g, md5(g::text), clock_timestamp() FROM %s;
                    %s
                    COMMIT;
                  END LOOP;
                END $$""".formatted(transactions - 1, ids, alsoEachTransaction.replace("{ids}", ids));
    }

    /**
     * The start marker, {@code updates} single-row transactions each updating a random row of {@code 1..rows}
     * (the same sequence in every run: the seed is fixed), the end marker: {@code updates + 2} row changes.
     */
    static void updates(Db db, int updates, int rows) throws SQLException {
        // The id is drawn before the UPDATE: random() in its WHERE would be drawn again for every row scanned.
        run(db, marker(START), """
                DO $$ DECLARE target bigint; BEGIN
                  PERFORM setseed(0.42);
                  FOR i IN 1..%d LOOP
                    target := 1 + floor(random() * %d)::bigint;
                    UPDATE items SET k = k + 1, v = md5(i::text), updated_at = clock_timestamp() WHERE id = target;
                    COMMIT;
                  END LOOP;
                END $$""".formatted(updates, rows), marker(END));
    }

    private static String marker(int value) {
        return "UPDATE items SET k = " + value + ", updated_at = clock_timestamp() WHERE id = " + MARKER_ID;
    }

    /** Each statement on its own: several in one string would run as one implicit transaction, and COMMIT fail. */
    private static void run(Db db, String... statements) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit = off");
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
