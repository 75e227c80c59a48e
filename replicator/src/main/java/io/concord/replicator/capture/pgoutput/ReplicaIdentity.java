package io.concord.replicator.capture.pgoutput;

/** A relation's REPLICA IDENTITY ({@code pg_class.relreplident}): which old values UPDATE and DELETE carry. */
public enum ReplicaIdentity {
    /** 'd': the primary key columns. */
    DEFAULT('d'),
    /** 'n': nothing; UPDATE and DELETE carry no old values (and are refused on published tables). */
    NOTHING('n'),
    /** 'f': the whole old row. */
    FULL('f'),
    /** 'i': the columns of a chosen unique index. */
    INDEX('i');

    private final char code;

    ReplicaIdentity(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    static ReplicaIdentity of(byte code) {
        for (ReplicaIdentity r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new PgOutputException("unknown replica identity '" + (char) code + "'");
    }
}
