package io.concord.replicator.types;

import io.concord.event.UuidValue;

/** uuid text ({@code a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}, lower case, as PostgreSQL prints it) both ways. */
final class UuidText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private UuidText() {
    }

    static UuidValue parse(CharSequence text) {
        if (text.length() != 36) {
            throw new ValueSyntaxException("uuid", text, "expected 36 characters");
        }
        byte[] bytes = new byte[16];
        int pos = 0;
        for (int i = 0; i < 16; i++) {
            if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
                if (text.charAt(pos) != '-') {
                    throw new ValueSyntaxException("uuid", text, "expected '-' at position " + pos);
                }
                pos++;
            }
            int hi = Character.digit(text.charAt(pos), 16);
            int lo = Character.digit(text.charAt(pos + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new ValueSyntaxException("uuid", text, "invalid hex digit at position " + pos);
            }
            bytes[i] = (byte) (hi << 4 | lo);
            pos += 2;
        }
        return new UuidValue(bytes);
    }

    static void format(UuidValue value, StringBuilder out) {
        byte[] bytes = value.bytes();
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out.append('-');
            }
            out.append(HEX[(bytes[i] & 0xFF) >>> 4]).append(HEX[bytes[i] & 0xF]);
        }
    }
}
