package io.concord.replicator.capture.pgoutput;

/**
 * UPDATE ('U'): a row changed. The new tuple holds 'u' for TOASTed columns whose value did not change and was not
 * sent: they are absent, not NULL.
 *
 * @param relation the table
 * @param oldImage what the old tuple holds: NONE (no old tuple), KEY ('K') or FULL ('O')
 * @param oldTuple the old tuple, or null when oldImage is NONE
 * @param newTuple the row after the change ('N')
 */
public record Update(Relation relation, OldImage oldImage, TupleData oldTuple, TupleData newTuple)
        implements RowChange {
}
