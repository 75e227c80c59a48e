package io.concord.replicator.capture.pgoutput;

/**
 * INSERT ('I'): a new row.
 *
 * @param relation the table
 * @param newTuple the row ('N')
 */
public record Insert(Relation relation, TupleData newTuple) implements RowChange {
}
