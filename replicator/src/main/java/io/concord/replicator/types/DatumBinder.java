package io.concord.replicator.types;

import io.concord.event.Datum;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Sets a {@link Datum} as a {@link PreparedStatement} parameter, for statements that write each parameter as
 * {@code ?::typname} with the column's type name.
 *
 * <p>int, long, double, boolean, string and bytes are bound typed (no text round trip; the cast converts int4 to
 * int2 or a domain, varchar to text, bpchar or name). Every other branch, float included, is bound as its text
 * form from {@link PgTextCodec#encode}, which the cast reads back exactly: a float4 bound as float8 and cast
 * down could round twice, and PostgreSQL's own text reader does not.
 */
public final class DatumBinder {

    private DatumBinder() {
    }

    public static void bind(PreparedStatement statement, int index, Datum datum) throws SQLException {
        Object value = datum.getValue();
        if (value == null) {
            // Unknown type: the ?::typname cast gives the parameter its type.
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Integer v) {
            statement.setInt(index, v);
        } else if (value instanceof Long v) {
            statement.setLong(index, v);
        } else if (value instanceof String v) {
            statement.setString(index, v);
        } else if (value instanceof Boolean v) {
            statement.setBoolean(index, v);
        } else if (value instanceof Double v) {
            statement.setDouble(index, v);
        } else if (value instanceof ByteBuffer v) {
            ByteBuffer b = v.duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            statement.setBytes(index, bytes);
        } else {
            statement.setString(index, PgTextCodec.encode(datum));
        }
    }
}
