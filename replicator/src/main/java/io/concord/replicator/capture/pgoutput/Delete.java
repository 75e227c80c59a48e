package io.concord.replicator.capture.pgoutput;

/**
 * DELETE ('D'): a row was deleted.
 *
 * @param relation the table
 * @param oldImage KEY ('K', the replica identity key) or FULL ('O', the whole row)
 * @param oldTuple the old tuple
 */
public record Delete(Relation relation, OldImage oldImage, TupleData oldTuple) implements RowChange {
}
