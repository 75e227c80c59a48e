package io.concord.replicator.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows inserted with {@code COPY ... FROM STDIN} in PostgreSQL's text format: the cheapest way to insert many rows,
 * for the server (no statement to plan, no parameter arrays to parse and unnest, no projection per row) and for the
 * client. It inserts as a plain {@code INSERT} does — row triggers fire, a key that has a row fails the whole copy
 * with a unique violation — so it stands in for the plain inserts of rows known to be new (apply's rows and
 * states of new keys, capture's states of new rows). Values are the columns' text forms, as a cast from text reads
 * them; {@code null} is SQL NULL.
 *
 * <p>One instance per copy: the value methods ({@link #text}, {@link #number}, ...) and {@link #endRow} append rows,
 * {@link #finish} sends the rest and ends the copy, {@link #cancelIfActive} abandons one that failed on the way.
 */
public final class CopyRows {

    /**
     * The fewest rows worth a copy. A copy takes two round trips (the server must answer {@code COPY} before rows
     * may follow, and again at its end), a statement one; in a steady stream of small batches on a busy machine a
     * round trip costs more than the copy saves on a few dozen rows (the stream's batches hold 20-40), while a
     * backlog's batches and parts hold thousands.
     */
    public static final int FEWEST_ROWS = 500;

    /** Sent to the server whenever this much is buffered, so a large copy needs little memory. */
    private static final int FLUSH_BYTES = 1 << 16;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final CopyIn copy;
    private final Buffer buffer = new Buffer();
    private boolean firstOfRow = true;
    private long rows;

    /**
     * Starts {@code COPY quotedTable (quotedColumns) FROM STDIN} on {@code connection}, in its transaction.
     *
     * @param quotedTable   the table, its name quoted (from config and the catalog only)
     * @param quotedColumns the columns in the order values come, each quoted, comma-separated
     */
    public CopyRows(Connection connection, String quotedTable, String quotedColumns) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + quotedTable + " (" + quotedColumns + ") FROM STDIN");
    }

    /** The next value of the current row, as text (null: NULL). */
    public CopyRows text(String value) {
        separate();
        if (value == null) {
            buffer.write('\\');
            buffer.write('N');
            return this;
        }
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> buffer.write2('\\', '\\');
                    case '\n' -> buffer.write2('\\', 'n');
                    case '\r' -> buffer.write2('\\', 'r');
                    case '\t' -> buffer.write2('\\', 't');
                    default -> buffer.write(c);
                }
            } else {
                // Past ASCII: the rest of the value through the encoder (no byte of a multi-byte UTF-8 sequence is a
                // character COPY escapes, so only the ASCII specials need escaping in it).
                String rest = value.substring(i).replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
                        .replace("\t", "\\t");
                buffer.writeBytes(rest.getBytes(StandardCharsets.UTF_8));
                break;
            }
        }
        return this;
    }

    /** The next value as a number. */
    public CopyRows number(long value) {
        separate();
        String text = Long.toString(value);
        for (int i = 0; i < text.length(); i++) {
            buffer.write(text.charAt(i));
        }
        return this;
    }

    /** The next value as a boolean. */
    public CopyRows bool(boolean value) {
        separate();
        buffer.write(value ? 't' : 'f');
        return this;
    }

    /** The next value as {@code bytea}, in its hex form. */
    public CopyRows bytes(byte[] value) {
        separate();
        if (value == null) {
            buffer.write2('\\', 'N');
            return this;
        }
        buffer.write2('\\', '\\');
        buffer.write('x');
        for (byte b : value) {
            buffer.write2(HEX[(b >> 4) & 0xf], HEX[b & 0xf]);
        }
        return this;
    }

    /** Ends the current row. */
    public void endRow() throws SQLException {
        buffer.write('\n');
        firstOfRow = true;
        rows++;
        if (buffer.size() >= FLUSH_BYTES) {
            flush();
        }
    }

    /**
     * Sends what is left and ends the copy; returns the rows inserted.
     *
     * @throws SQLException as an insert of the rows would (a unique violation among them); the copy is then over and
     *     the transaction aborted
     */
    public long finish() throws SQLException {
        flush();
        long copied = copy.endCopy();
        if (copied != rows) {
            throw new IllegalStateException("COPY inserted " + copied + " rows of " + rows);
        }
        return copied;
    }

    /**
     * Abandons the copy (the server aborts it) if it has not finished; does nothing after {@link #finish}. For a
     * {@code finally}: a failure to cancel is not thrown over the failure that led here, which the caller reads (a
     * unique violation means "read again"); the caller's transaction is rolled back either way.
     */
    public void cancelIfActive() {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // The connection is likely gone; the rollback that follows reports it.
            }
        }
    }

    private void separate() {
        if (!firstOfRow) {
            buffer.write('\t');
        }
        firstOfRow = false;
    }

    private void flush() throws SQLException {
        if (buffer.size() > 0) {
            copy.writeToCopy(buffer.bytes(), 0, buffer.size());
            buffer.reset();
        }
    }

    /** A growable byte buffer, unsynchronized (a {@code ByteArrayOutputStream} locks on every byte). */
    private static final class Buffer {

        private byte[] bytes = new byte[FLUSH_BYTES + 1024];
        private int size;

        void write(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) b;
        }

        void write(char ascii) {
            write((int) ascii);
        }

        void write2(int first, int second) {
            if (size + 2 > bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) first;
            bytes[size++] = (byte) second;
        }

        void writeBytes(byte[] more) {
            if (size + more.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, bytes, size, more.length);
            size += more.length;
        }

        int size() {
            return size;
        }

        byte[] bytes() {
            return bytes;
        }

        void reset() {
            size = 0;
        }
    }
}
