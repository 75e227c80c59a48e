package io.concord.event.codec;

import io.concord.event.ChangeEvent;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * Writes a {@link ChangeEvent} in single-object encoding field by field ({@link DirectEncoding}): capture encodes
 * every change it publishes, and Avro's generic writer was the largest part of that. The bytes are Avro's own
 * ({@code ChangeEventWriterTest}).
 */
final class ChangeEventWriter {

    private static final byte[] HEADER = DirectEncoding.header(ChangeEvent.getClassSchema());
    private static final Schema OPERATION = ChangeEvent.getClassSchema().getField("op").schema();

    private ChangeEventWriter() {
    }

    /**
     * The event's bytes.
     *
     * @throws NullPointerException if a field that is not nullable is null (Avro's writer says which)
     */
    static byte[] encode(ChangeEvent event) {
        ByteArrayEncoder out = new ByteArrayEncoder(HEADER, 256);
        try {
            out.writeString(event.getEventId().toString());
            out.writeString(event.getOrigin().toString());
            out.writeString(event.getPublishedBy().toString());
            TableRef table = event.getTable();
            out.writeString(table.getSchema$().toString());
            out.writeString(table.getName().toString());
            out.writeEnum(OPERATION.getEnumOrdinal(event.getOp().name()));
            DirectEncoding.writeColumns(event.getKey(), out);
            DirectEncoding.writeNullableColumns(event.getBefore(), out);
            DirectEncoding.writeNullableColumns(event.getAfter(), out);
            DirectEncoding.writeStrings(event.getUnchangedToastColumns(), out);
            DirectEncoding.writeNullableStrings(event.getChangedColumns(), out);
            DirectEncoding.writeVersion(event.getVersion(), out);
            DirectEncoding.writeNullableColumnStates(event.getColumnStates(), out);
            SourceTransaction source = event.getSource();
            out.writeLong(source.getXid());
            out.writeLong(source.getCommitLsn());
            out.writeLong(source.getCommitTimeMicros());
            out.writeInt(source.getIndex());
            out.writeBoolean(source.getLast());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a change event", e); // an array does not fail
        }
        return out.toByteArray();
    }
}
