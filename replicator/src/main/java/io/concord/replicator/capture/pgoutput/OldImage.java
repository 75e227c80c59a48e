package io.concord.replicator.capture.pgoutput;

/** What an UPDATE or DELETE carries of the row before the change. */
public enum OldImage {
    /** No old tuple: an UPDATE that did not change the replica identity key, under REPLICA IDENTITY DEFAULT. */
    NONE,
    /**
     * 'K': the replica identity key columns. The other columns of the tuple are sent as 'n' but mean "not
     * sent", not SQL NULL.
     */
    KEY,
    /** 'O': the whole old row (REPLICA IDENTITY FULL); unchanged TOASTed columns may still be 'u'. */
    FULL
}
