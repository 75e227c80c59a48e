package io.concord.replicator.capture.pgoutput;

import io.concord.replicator.capture.Lsn;

/**
 * ORIGIN ('O'): the current transaction was written by a session with a replication origin set
 * ({@code pg_replication_origin_session_setup}); it follows BEGIN. Concord's applier sets one naming the peer,
 * so this is how capture tells applied changes from the application's own.
 *
 * @param originCommitLsn the commit LSN the session declared for the origin (0/0 if it declared none)
 * @param name            the replication origin's name
 */
public record Origin(Lsn originCommitLsn, String name) implements ControlMessage {
}
