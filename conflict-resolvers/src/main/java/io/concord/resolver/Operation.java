package io.concord.resolver;

/** What a write did to its row. */
public enum Operation {
    /** The row was created (it was absent or deleted before). */
    INSERT,
    /** An existing row was changed. */
    UPDATE,
    /** The row was deleted; the write leaves a tombstone that keeps the row's version. */
    DELETE
}
