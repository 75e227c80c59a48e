package io.concord.version;

/**
 * How one version relates to another by happens-before. Read {@code x.compare(y) == BEFORE} as
 * "x happened before y": y has seen every write x has seen, and more.
 */
public enum Causality {
    /** The first version happened before the second: the second supersedes it. */
    BEFORE,
    /** The first version happened after the second: it supersedes the second. */
    AFTER,
    /** Both versions have seen exactly the same writes. */
    EQUAL,
    /** Each version has seen a write the other has not: the writes conflict. */
    CONCURRENT;

    /** The relation seen from the other side: BEFORE and AFTER swap. */
    public Causality reversed() {
        return switch (this) {
            case BEFORE -> AFTER;
            case AFTER -> BEFORE;
            default -> this;
        };
    }
}
