package io.concord.resolver;

import io.concord.version.ColumnStamp;
import java.util.Objects;

/** One value written to a column, with the stamp of the write that wrote it. */
public record ColumnEntry(ColumnStamp stamp, Object value) {

    /** Copies the value so the entry cannot change. */
    public ColumnEntry {
        Objects.requireNonNull(stamp, "stamp");
        value = ColumnValues.freeze(value);
    }

    /** The value written; {@code null} is SQL NULL. */
    @Override
    public Object value() {
        return ColumnValues.expose(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ColumnEntry that && stamp.equals(that.stamp) && ColumnValues.same(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * stamp.hashCode() + ColumnValues.hash(value);
    }

    @Override
    public String toString() {
        return ColumnValues.canonical(value) + "@" + stamp;
    }
}
