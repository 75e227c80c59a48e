package io.concord.version;

import java.util.Objects;

/**
 * The id of a datacenter, such as {@code a} or {@code eu-west-1}.
 *
 * <p>Limited to 1 to 64 letters, digits, {@code .}, {@code _} and {@code -}: the id appears in Kafka
 * topic names and in the compact text forms of {@link VersionVector} and {@link RowVersion}, whose
 * separators ({@code : , @ / #}) it must never contain.
 */
public record DcId(String value) implements Comparable<DcId> {

    /** Checks the id; see the type's documentation for what is allowed. */
    public DcId {
        Objects.requireNonNull(value, "DC id");
        if (!valid(value)) {
            throw new IllegalArgumentException("bad DC id '" + value
                    + "': expected 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }

    /**
     * {@code [A-Za-z0-9._-]{1,64}}, checked by hand: every version read or written makes DC ids, and a regular
     * expression's matcher was 2% of the apply worker's samples on a backlog.
     */
    private static boolean valid(String value) {
        int length = value.length();
        if (length < 1 || length > 64) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Returns the id named {@code value}; the String-friendly way to make one. */
    public static DcId of(String value) {
        return new DcId(value);
    }

    @Override
    public int compareTo(DcId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
