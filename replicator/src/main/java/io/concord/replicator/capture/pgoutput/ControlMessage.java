package io.concord.replicator.capture.pgoutput;

/** A message that frames transactions or describes schema and origins, changing no row. */
public sealed interface ControlMessage extends PgOutputMessage
        permits Begin, Commit, Origin, Relation, TypeMessage, LogicalMessage {
}
