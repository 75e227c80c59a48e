package io.concord.replicator.capture.pgoutput;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds pgoutput message bytes by hand, field by field, as the protocol documentation lays them out. */
final class MessageBytes {

    /** Marks an unchanged TOAST column ('u') in {@link #tuple}. */
    static final Object UNCHANGED = new Object();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    static MessageBytes message(char type) {
        return new MessageBytes().int8(type);
    }

    MessageBytes int8(int v) {
        return write(() -> out.writeByte(v));
    }

    MessageBytes int16(int v) {
        return write(() -> out.writeShort(v));
    }

    MessageBytes int32(int v) {
        return write(() -> out.writeInt(v));
    }

    MessageBytes int64(long v) {
        return write(() -> out.writeLong(v));
    }

    MessageBytes string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8)).int8(0);
    }

    MessageBytes bytes(byte[] b) {
        return write(() -> out.write(b));
    }

    /** TupleData: null -> 'n', UNCHANGED -> 'u', byte[] -> 'b', anything else -> 't' with its toString(). */
    MessageBytes tuple(Object... values) {
        int16(values.length);
        for (Object v : values) {
            if (v == null) {
                int8('n');
            } else if (v == UNCHANGED) {
                int8('u');
            } else if (v instanceof byte[] b) {
                int8('b').int32(b.length).bytes(b);
            } else {
                byte[] text = v.toString().getBytes(StandardCharsets.UTF_8);
                int8('t').int32(text.length).bytes(text);
            }
        }
        return this;
    }

    /** The message in a heap buffer that starts at an offset of a larger array, as pgjdbc's slices do. */
    ByteBuffer build() {
        byte[] body = bytes.toByteArray();
        byte[] padded = new byte[body.length + 7];
        System.arraycopy(body, 0, padded, 5, body.length);
        return ByteBuffer.wrap(padded, 5, body.length).slice();
    }

    private MessageBytes write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
