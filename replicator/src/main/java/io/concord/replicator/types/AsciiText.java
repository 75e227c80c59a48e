package io.concord.replicator.types;

import java.nio.charset.StandardCharsets;

/**
 * A read-only view of ASCII bytes as characters, so that numbers, dates and times are read from the wire buffer
 * without first copying them into a String.
 */
final class AsciiText implements CharSequence {

    private final byte[] bytes;
    private final int offset;
    private final int length;

    AsciiText(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return (char) (bytes[offset + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new AsciiText(bytes, offset + start, end - start);
    }

    @Override
    public String toString() {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
}
