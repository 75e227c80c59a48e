package io.concord.replicator.capture;

import io.concord.event.AppliedBatch;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.replicator.capture.pgoutput.LogicalMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The logical decoding message through which apply hands capture what it did: emitted with
 * {@code pg_logical_emit_message(true, 'concord.apply', bytes)} inside the apply transaction, so
 * it reaches capture in WAL order, exactly when (and only if) that transaction committed.
 */
public final class AppliedBatchMessage {

    /** The message prefix. */
    public static final String PREFIX = "concord.apply";

    /**
     * The prefix of the message with which an apply transaction tells capture at which position it stored
     * the states of the rows it wrote (the content: that LSN as text). Capture reads those states from
     * {@code concord.row_versions} once it meets the transaction, and waits until it sees them there: the
     * walsender can send a commit a moment before the committing session's writes are visible to others.
     */
    public static final String STATES_PREFIX = "concord.apply.states";

    private final EventCodec codec;

    public AppliedBatchMessage(EventCodec codec) {
        this.codec = codec;
    }

    /** Whether a decoded message is one of ours. */
    static boolean matches(LogicalMessage message) {
        return message.transactional() && PREFIX.equals(message.prefix());
    }

    /** The position of the states an apply transaction stored, if {@code message} says so; else null. */
    static Lsn statesStoredAt(LogicalMessage message) {
        if (!message.transactional() || !STATES_PREFIX.equals(message.prefix())) {
            return null;
        }
        ByteBuffer content = message.content().duplicate();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        return Lsn.parse(new String(bytes, StandardCharsets.US_ASCII));
    }

    public byte[] encode(AppliedBatch batch) {
        return codec.encode(batch);
    }

    AppliedBatch decode(LogicalMessage message) throws EventDecodingException {
        ByteBuffer content = message.content().duplicate();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        if (!(codec.decode(bytes) instanceof AppliedBatch batch)) {
            throw new EventDecodingException(EventDecodingException.Kind.UNKNOWN_SCHEMA,
                    PREFIX + " message at " + message.lsn() + " does not hold an AppliedBatch");
        }
        return batch;
    }
}
