package io.concord.replicator.capture.pgoutput;

import io.concord.replicator.capture.Lsn;
import java.nio.ByteBuffer;

/**
 * MESSAGE ('M'): a logical decoding message written with {@code pg_logical_emit_message}; sent only when the slot
 * option {@code messages} is true. A transactional one arrives inside its transaction, in WAL order with its
 * rows; a non-transactional one arrives at once, outside any BEGIN/COMMIT.
 *
 * @param transactional whether it was emitted as part of its transaction
 * @param lsn           LSN of the message record
 * @param prefix        the prefix given to {@code pg_logical_emit_message}, naming who it is for
 * @param content       the content, read-only
 */
public record LogicalMessage(boolean transactional, Lsn lsn, String prefix, ByteBuffer content)
        implements ControlMessage {
}
