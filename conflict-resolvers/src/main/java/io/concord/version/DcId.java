package io.concord.version;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The id of a datacenter, such as {@code a} or {@code eu-west-1}.
 *
 * <p>Limited to 1 to 64 letters, digits, {@code .}, {@code _} and {@code -}: the id appears in Kafka
 * topic names and in the compact text forms of {@link VersionVector} and {@link RowVersion}, whose
 * separators ({@code : , @ / #}) it must never contain.
 */
public record DcId(String value) implements Comparable<DcId> {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Checks the id; see the type's documentation for what is allowed. */
    public DcId {
        Objects.requireNonNull(value, "DC id");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("bad DC id '" + value
                    + "': expected 1 to 64 letters, digits, '.', '_' or '-'");
        }
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
