package io.concord.replicator.types;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * bytea text: written in the hex format ({@code \x0a0b}, {@code bytea_output=hex}, the default); read in hex and
 * also in the older escape format, so that a server left with {@code bytea_output=escape} is still understood.
 */
final class ByteaText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ByteaText() {
    }

    static byte[] parse(CharSequence text) {
        if (text.length() >= 2 && text.charAt(0) == '\\' && text.charAt(1) == 'x') {
            return parseHex(text);
        }
        return parseEscape(text);
    }

    static void format(ByteBuffer bytes, StringBuilder out) {
        ByteBuffer b = bytes.duplicate();
        out.ensureCapacity(out.length() + 2 + 2 * b.remaining());
        out.append("\\x");
        while (b.hasRemaining()) {
            int v = b.get() & 0xFF;
            out.append(HEX[v >>> 4]).append(HEX[v & 0xF]);
        }
    }

    private static byte[] parseHex(CharSequence text) {
        int n = text.length() - 2;
        if (n % 2 != 0) {
            throw new ValueSyntaxException("bytea", text, "odd number of hex digits");
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(text.charAt(2 + 2 * i), 16);
            int lo = Character.digit(text.charAt(3 + 2 * i), 16);
            if (hi < 0 || lo < 0) {
                throw new ValueSyntaxException("bytea", text, "invalid hex digit at position " + (2 + 2 * i));
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static byte[] parseEscape(CharSequence text) {
        byte[] out = new byte[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out[n++] = (byte) c;
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                out[n++] = '\\';
                i++;
            } else if (i + 3 < text.length() && isOctal(text.charAt(i + 1)) && isOctal(text.charAt(i + 2))
                    && isOctal(text.charAt(i + 3))) {
                out[n++] = (byte) ((text.charAt(i + 1) - '0') << 6 | (text.charAt(i + 2) - '0') << 3
                        | (text.charAt(i + 3) - '0'));
                i += 3;
            } else {
                throw new ValueSyntaxException("bytea", text, "invalid escape at position " + i);
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
