package io.concord.event.codec;

import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;

/**
 * Avro's binary encoding written into a growable byte array: what {@link DirectEncoding}'s writers write to. Avro's
 * own direct encoder writes every byte of a varint through {@code OutputStream.write(int)} — on a
 * {@code ByteArrayOutputStream}, a synchronized call per byte, which with its string writes was a fifth of capture's
 * thread. Same bytes (the writers' tests hold them to Avro's). Starts with a header, as single-object encoding does.
 * Not thread-safe.
 */
public final class ByteArrayEncoder extends BinaryEncoder {

    private byte[] buffer;
    private int size;

    /** An encoder whose bytes begin with {@code header}, with room for about {@code capacity} bytes. */
    public ByteArrayEncoder(byte[] header, int capacity) {
        buffer = Arrays.copyOf(header, Math.max(header.length, capacity));
        size = header.length;
    }

    /** The bytes written, header included. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    @Override
    public void writeBoolean(boolean b) {
        room(1);
        buffer[size++] = (byte) (b ? 1 : 0);
    }

    @Override
    public void writeInt(int n) {
        room(5);
        int v = (n << 1) ^ (n >> 31); // zig-zag
        while ((v & ~0x7F) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
    }

    @Override
    public void writeLong(long n) {
        room(10);
        long v = (n << 1) ^ (n >> 63);
        while ((v & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
    }

    @Override
    public void writeFloat(float f) {
        littleEndian(Float.floatToRawIntBits(f), 4);
    }

    @Override
    public void writeDouble(double d) {
        littleEndian(Double.doubleToRawLongBits(d), 8);
    }

    private void littleEndian(long bits, int length) {
        room(length);
        for (int i = 0; i < length; i++) {
            buffer[size++] = (byte) (bits >>> (8 * i));
        }
    }

    @Override
    public void writeFixed(byte[] bytes, int start, int length) {
        room(length);
        System.arraycopy(bytes, start, buffer, size, length);
        size += length;
    }

    @Override
    protected void writeZero() {
        room(1);
        buffer[size++] = 0;
    }

    @Override
    public int bytesBuffered() {
        return 0; // nothing waits to be flushed: the array is the destination
    }

    @Override
    public void flush() {
    }

    private void room(int bytes) {
        if (size + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + bytes));
        }
    }
}
