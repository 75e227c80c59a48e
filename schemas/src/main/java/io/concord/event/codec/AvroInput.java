package io.concord.event.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over Avro's binary encoding in a byte array: zig-zag varints, little-endian floats, length-prefixed
 * strings and bytes, block counts of arrays and maps. What {@link RecordReader} reads records with, without
 * Avro's buffered decoder and its per-call checks of a stream that is not there. Every read that runs past the end,
 * or meets an encoding Avro's own decoder rejects, throws {@link MalformedAvroException}.
 */
final class AvroInput {

    private final byte[] bytes;
    private int position;

    AvroInput(byte[] bytes, int position) {
        this.bytes = bytes;
        this.position = position;
    }

    int readInt() {
        long value = readVarint(5);
        int raw = (int) value;
        if (value >>> 32 != 0) {
            throw new MalformedAvroException("an int overflows 32 bits at byte " + position);
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    long readLong() {
        long raw = readVarint(10);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** An unsigned varint of at most {@code maxBytes} bytes, before zig-zag decoding. */
    private long readVarint(int maxBytes) {
        long value = 0;
        for (int shift = 0, i = 0; i < maxBytes; i++, shift += 7) {
            int b = next();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedAvroException("a varint runs past " + maxBytes + " bytes at byte " + position);
    }

    boolean readBoolean() {
        int b = next();
        if (b > 1) {
            throw new MalformedAvroException("boolean byte " + b + " at byte " + (position - 1));
        }
        return b == 1;
    }

    float readFloat() {
        return Float.intBitsToFloat((int) littleEndian(4));
    }

    double readDouble() {
        return Double.longBitsToDouble(littleEndian(8));
    }

    private long littleEndian(int length) {
        require(length);
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (long) (bytes[position + i] & 0xFF) << (8 * i);
        }
        position += length;
        return value;
    }

    String readString() {
        int length = readLength();
        String string = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return string;
    }

    /** A string through {@code pool}: the same name read twice is one {@code String}. */
    String readName(NamePool pool) {
        int length = readLength();
        String name = pool.name(bytes, position, length);
        position += length;
        return name;
    }

    ByteBuffer readBytes() {
        int length = readLength();
        ByteBuffer buffer = ByteBuffer.wrap(Arrays.copyOfRange(bytes, position, position + length));
        position += length;
        return buffer;
    }

    byte[] readFixed(int size) {
        require(size);
        byte[] fixed = Arrays.copyOfRange(bytes, position, position + size);
        position += size;
        return fixed;
    }

    /** An enum's ordinal or a union's branch, checked against the number of symbols or branches. */
    int readIndex(int count, String of) {
        int index = readInt();
        if (index < 0 || index >= count) {
            throw new MalformedAvroException(of + " index " + index + " out of 0.." + (count - 1));
        }
        return index;
    }

    /**
     * The item count of the next block of an array or map, 0 at its end. A negative count is followed by the
     * block's size in bytes (Avro's blocking encoder writes them), which a reader that reads every item skips.
     */
    int readBlockCount() {
        long count = readLong();
        if (count < 0) {
            count = -count;
            readLong();
        }
        // Every item of Concord's arrays and maps takes at least one byte: more items than bytes left is corrupt.
        if (count < 0 || count > bytes.length - position) {
            throw new MalformedAvroException("a block of " + count + " items in " + (bytes.length - position)
                    + " bytes left");
        }
        return (int) count;
    }

    private int readLength() {
        long length = readLong();
        if (length < 0 || length > bytes.length - position) {
            throw new MalformedAvroException("length " + length + " at byte " + position + " of " + bytes.length);
        }
        return (int) length;
    }

    private int next() {
        require(1);
        return bytes[position++] & 0xFF;
    }

    private void require(int length) {
        if (length > bytes.length - position) {
            throw new MalformedAvroException("the body ends at byte " + bytes.length + ", " + length
                    + " more expected at byte " + position);
        }
    }

    /** Bytes that are not what the schema says is there. */
    static final class MalformedAvroException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        MalformedAvroException(String message) {
            super(message);
        }
    }
}
