package io.concord.replicator.capture.pgoutput;

import io.concord.event.Datum;
import io.concord.replicator.types.PgTextCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The column values of one tuple ('N', 'K' or 'O' TupleData), as a view over the message bytes: values are
 * converted only when asked for, so a consumer that needs three columns of thirty pays for three.
 *
 * <p>Holds the message's byte array; pgjdbc gives every message a fresh array, so the view stays valid.
 */
public final class TupleData {

    /** What a column slot of the tuple holds. */
    public enum Kind {
        /** 'n': SQL NULL (in a 'K' old tuple: also every non-key column, meaning "not sent"). */
        NULL,
        /** 'u': an unchanged TOASTed value that was not sent. */
        UNCHANGED_TOAST,
        /** 't': the value in text form. */
        TEXT,
        /** 'b': the value in binary form (only with the slot option binary, which we do not set). */
        BINARY
    }

    private final Relation relation;
    private final byte[] buffer;
    private final byte[] kinds;
    private final int[] offsets;
    private final int[] lengths;

    TupleData(Relation relation, byte[] buffer, byte[] kinds, int[] offsets, int[] lengths) {
        this.relation = relation;
        this.buffer = buffer;
        this.kinds = kinds;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    public int size() {
        return kinds.length;
    }

    public Relation relation() {
        return relation;
    }

    public Kind kind(int column) {
        switch (kinds[column]) {
            case 'n':
                return Kind.NULL;
            case 'u':
                return Kind.UNCHANGED_TOAST;
            case 't':
                return Kind.TEXT;
            default:
                return Kind.BINARY;
        }
    }

    public boolean isNull(int column) {
        return kinds[column] == 'n';
    }

    public boolean isUnchangedToast(int column) {
        return kinds[column] == 'u';
    }

    /** The value's text as PostgreSQL sent it, or null for NULL. */
    public String text(int column) {
        requireSent(column);
        if (kinds[column] == 'n') {
            return null;
        }
        requireText(column);
        return new String(buffer, offsets[column], lengths[column], StandardCharsets.UTF_8);
    }

    /** The raw bytes of a 't' or 'b' value, read-only; null for NULL. */
    public ByteBuffer bytes(int column) {
        requireSent(column);
        if (kinds[column] == 'n') {
            return null;
        }
        return ByteBuffer.wrap(buffer, offsets[column], lengths[column]).slice().asReadOnlyBuffer();
    }

    /**
     * The value as a Datum typed by its column (the null branch for NULL).
     *
     * @throws IllegalStateException for an unchanged TOAST column, which has no value here
     */
    public Datum datum(int column) {
        requireSent(column);
        if (kinds[column] == 'n') {
            return new Datum(null);
        }
        requireText(column);
        return PgTextCodec.decode(relation.column(column).type(), buffer, offsets[column], lengths[column]);
    }

    private void requireSent(int column) {
        if (kinds[column] == 'u') {
            throw new IllegalStateException("column " + relation.column(column).name() + " of "
                    + relation.qualifiedName() + " is unchanged TOAST: its value was not sent");
        }
    }

    private void requireText(int column) {
        if (kinds[column] != 't') {
            throw new IllegalStateException("column " + relation.column(column).name() + " of "
                    + relation.qualifiedName() + " came in binary form, which capture does not request");
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(relation.column(i).name()).append('=');
            switch (kinds[i]) {
                case 'n' -> out.append("NULL");
                case 'u' -> out.append("<unchanged toast>");
                case 't' -> out.append('\'').append(text(i)).append('\'');
                default -> out.append("<binary ").append(lengths[i]).append(" bytes>");
            }
        }
        return out.append(')').toString();
    }
}
