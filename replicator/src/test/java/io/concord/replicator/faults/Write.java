package io.concord.replicator.faults;

/**
 * One write the application made, as the history logs it.
 *
 * @param seq    the history's order of logging (not a commit order across DCs)
 * @param dc     the DC whose PostgreSQL took the write
 * @param xid    the transaction's full id ({@code pg_current_xact_id()}, xid8)
 * @param table  the table
 * @param id     the row's key
 * @param op     what the write did
 * @param text   the text column written (a unique tag); null for a delete
 * @param number the number column written, or for the counter table the delta added (an insert's initial
 *               value counts as its delta); 0 for a delete
 * @param status whether the application saw the commit
 */
record Write(long seq, String dc, long xid, SuiteTable table, long id, Op op, String text, long number, Status status) {

    /** What a write did to its row. */
    enum Op { INSERT, UPDATE, DELETE }

    /**
     * The application's knowledge of the commit: committed, or in doubt (the connection broke during COMMIT),
     * settled after the run from {@code pg_xact_status}.
     */
    enum Status { COMMITTED, IN_DOUBT, ABORTED }

    /** The transaction id as pgoutput carries it (the low 32 bits). */
    long xid32() {
        return xid & 0xFFFF_FFFFL;
    }

    Write withStatus(Status next) {
        return new Write(seq, dc, xid, table, id, op, text, number, next);
    }

    @Override
    public String toString() {
        return dc + " xid " + xid + " " + op + " " + table.tableName() + " id " + id
                + (op == Op.DELETE ? "" : " (" + text + ", " + number + ")") + (status == Status.COMMITTED ? "" : " " + status);
    }
}
