package io.concord.replicator.capture.pgoutput;

/** A message that changes table data: a row change or a TRUNCATE. */
public sealed interface ChangeMessage extends PgOutputMessage permits RowChange, Truncate {
}
