package io.concord.replicator.capture.pgoutput;

import io.concord.replicator.capture.Lsn;

/**
 * BEGIN ('B'): a transaction starts; its changes follow, then its {@link Commit}.
 *
 * @param finalLsn         LSN of the transaction's commit record
 * @param commitTimeMicros commit time, microseconds since the Unix epoch
 * @param xid              transaction id (unsigned 32 bits)
 */
public record Begin(Lsn finalLsn, long commitTimeMicros, long xid) implements ControlMessage {
}
