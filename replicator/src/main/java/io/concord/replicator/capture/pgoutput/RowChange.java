package io.concord.replicator.capture.pgoutput;

/** A change of one row of one relation. */
public sealed interface RowChange extends ChangeMessage permits Insert, Update, Delete {

    /** The relation, as its latest RELATION message described it. */
    Relation relation();
}
