package io.concord.replicator.capture;

/**
 * A PostgreSQL WAL position (log sequence number): an unsigned 64-bit byte offset into the WAL, written
 * {@code X/Y} with the high and low 32 bits in upper-case hex, as {@code pg_lsn} prints it. Ordered unsigned.
 *
 * @param value the 64 bits; compare with {@link #compareTo}, never with {@code <} on the long
 */
public record Lsn(long value) implements Comparable<Lsn> {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** 0/0: no position. Starting a stream at it means "where the slot stands". */
    public static final Lsn INVALID = new Lsn(0);

    public static Lsn of(long value) {
        return value == 0 ? INVALID : new Lsn(value);
    }

    /** Parses {@code X/Y} as PostgreSQL prints it (1 to 8 hex digits each side, either case). */
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        long high = hex(text, 0, slash);
        long low = hex(text, slash + 1, text.length());
        if (slash < 0 || high < 0 || low < 0) {
            throw new IllegalArgumentException("not an LSN (expected X/Y in hex): '" + text + "'");
        }
        return of(high << 32 | low);
    }

    /** The value of 1 to 8 hex digits in text[start, end), or -1 if that is not what is there. */
    private static long hex(String text, int start, int end) {
        if (start < 0 || end - start < 1 || end - start > 8) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    public boolean isValid() {
        return value != 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    /** The later of two positions. */
    public static Lsn max(Lsn a, Lsn b) {
        return a.isBefore(b) ? b : a;
    }

    /** PostgreSQL's text form, {@code 16/B374D848}: upper-case hex without leading zeros. */
    @Override
    public String toString() {
        // By hand: capture formats one per stored row state, and toUpperCase on toHexString showed in its profile.
        char[] text = new char[17];
        int end = appendHex(text, 0, value >>> 32);
        text[end++] = '/';
        end = appendHex(text, end, value & 0xFFFFFFFFL);
        return new String(text, 0, end);
    }

    private static int appendHex(char[] text, int at, long half) {
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(half) + 3) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            text[at++] = HEX[(int) (half >>> (i * 4)) & 0xF];
        }
        return at;
    }
}
