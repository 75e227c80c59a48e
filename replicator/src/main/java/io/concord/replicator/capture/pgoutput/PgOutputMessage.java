package io.concord.replicator.capture.pgoutput;

/** One decoded pgoutput message: either transaction/schema control or a data change. */
public sealed interface PgOutputMessage permits ControlMessage, ChangeMessage {
}
