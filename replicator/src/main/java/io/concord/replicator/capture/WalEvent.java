package io.concord.replicator.capture;

import io.concord.replicator.capture.pgoutput.PgOutputMessage;

/**
 * A decoded pgoutput message and the WAL position it was sent at.
 *
 * @param lsn     the WAL position the server sent the message at (the XLogData start): for a row change, the
 *                position of its own WAL record; for transaction boundaries, rely on the LSN fields of
 *                {@code Begin} and {@code Commit} instead
 * @param message the message
 */
public record WalEvent(Lsn lsn, PgOutputMessage message) {
}
