package io.concord.resolver.state;

import java.util.Locale;

/** What a settled conflict did to the local row, as stored in {@code concord.conflicts.resolution}. */
public enum ResolutionKind {
    /** The row now shows the remote version. */
    REMOTE_APPLIED,
    /** The row still shows what it showed before (only its version moved on). */
    LOCAL_KEPT,
    /** The row now shows something made from several versions. */
    MERGED;

    /** The lower-case label, e.g. {@code remote_applied}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
