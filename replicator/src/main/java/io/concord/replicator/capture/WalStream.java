package io.concord.replicator.capture;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * A pgoutput logical replication stream over pgjdbc's replication API: raw message payloads in WAL order, and
 * the feedback that lets the server recycle WAL. Owns its replication connection. One thread at a time.
 */
public final class WalStream implements AutoCloseable {

    private final Connection connection;
    private final PGReplicationStream stream;

    private WalStream(Connection connection, PGReplicationStream stream) {
        this.connection = connection;
        this.stream = stream;
    }

    /**
     * Starts streaming on a connection from {@link ReplicationConnections#open}, which the stream then owns.
     *
     * @param startAt where to start; {@link Lsn#INVALID} means where the slot's confirmed position stands. The
     *                server never sends a transaction that committed before the slot's confirmed position,
     *                whatever startAt says.
     */
    public static WalStream start(Connection replicationConnection, WalStreamOptions options, Lsn startAt)
            throws SQLException {
        var builder = replicationConnection.unwrap(PGConnection.class).getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName(options.slotName())
                .withStartPosition(LogSequenceNumber.valueOf(startAt.value()))
                .withSlotOption("proto_version", Integer.toString(options.protocolVersion()))
                .withSlotOption("publication_names", options.publicationNamesOption())
                .withSlotOption("messages", options.messages())
                .withStatusInterval(Math.toIntExact(options.statusInterval().toMillis()), TimeUnit.MILLISECONDS);
        if (options.origin() != null) {
            builder = builder.withSlotOption("origin", options.origin());
        }
        try {
            return new WalStream(replicationConnection, builder.start());
        } catch (SQLException | RuntimeException e) {
            replicationConnection.close();
            throw e;
        }
    }

    /**
     * The next message payload, waiting for one; its WAL position is then {@link #lastReceivedLsn()}. pgjdbc
     * copies every message into a fresh array, so the buffer may be kept.
     */
    public ByteBuffer read() throws SQLException {
        return stream.read();
    }

    /** The next message payload if one has arrived, else null at once (keepalives are answered meanwhile). */
    public ByteBuffer readPending() throws SQLException {
        return stream.readPending();
    }

    /** The WAL start of the last message returned (for a row change, the position of its WAL record). */
    public Lsn lastReceivedLsn() {
        return Lsn.of(stream.getLastReceiveLSN().asLong());
    }

    /**
     * Confirms that everything before {@code lsn} is safe elsewhere, so that the slot may advance and the server
     * recycle that WAL; sent with the next status update (or {@link #forceUpdateStatus()}).
     *
     * <p>Data loss hangs on the caller: a confirmed position is never sent again, even after a crash. Capture
     * calls this only after Kafka acknowledged every event of the transactions before lsn, and after their
     * version state was persisted.
     */
    public void confirmFlushed(Lsn lsn) {
        LogSequenceNumber position = LogSequenceNumber.valueOf(lsn.value());
        stream.setFlushedLSN(position);
        stream.setAppliedLSN(position);
    }

    /** The position last given to {@link #confirmFlushed}. */
    public Lsn lastFlushedLsn() {
        return Lsn.of(stream.getLastFlushedLSN().asLong());
    }

    /** Sends a status update now, rather than at the next status interval. */
    public void forceUpdateStatus() throws SQLException {
        stream.forceUpdateStatus();
    }

    public boolean isClosed() {
        return stream.isClosed();
    }

    /** Stops streaming and closes the replication connection; the slot stays at its confirmed position. */
    @Override
    public void close() throws SQLException {
        try {
            if (!stream.isClosed()) {
                stream.close();
            }
        } finally {
            connection.close();
        }
    }
}
