package io.concord.replicator.capture.pgoutput;

import io.concord.replicator.capture.Lsn;

/**
 * COMMIT ('C'): the transaction begun by the last {@link Begin} ends.
 *
 * @param flags            reserved by the protocol, 0 so far
 * @param commitLsn        LSN of the commit record
 * @param endLsn           LSN just past the commit record: confirming it to the slot acknowledges the transaction
 * @param commitTimeMicros commit time, microseconds since the Unix epoch
 */
public record Commit(int flags, Lsn commitLsn, Lsn endLsn, long commitTimeMicros) implements ControlMessage {
}
