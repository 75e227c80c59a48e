package io.concord.replicator.capture;

import io.concord.replicator.capture.pgoutput.PgOutputDecoder;
import io.concord.replicator.types.TypeResolver;
import java.nio.ByteBuffer;
import java.sql.SQLException;

/**
 * A stream of decoded, typed pgoutput messages: a {@link WalStream} read through a {@link PgOutputDecoder} of its
 * own (the relation cache lives as long as the replication session). One thread at a time.
 */
public final class PgOutputStream implements AutoCloseable {

    private final WalStream wal;
    private final PgOutputDecoder decoder;

    public PgOutputStream(WalStream wal, TypeResolver types) {
        this.wal = wal;
        this.decoder = new PgOutputDecoder(types);
    }

    /** Opens a replication connection, starts streaming at startAt, and decodes with types. */
    public static PgOutputStream open(String jdbcUrl, String user, String password, WalStreamOptions options,
            Lsn startAt, TypeResolver types) throws SQLException {
        return new PgOutputStream(WalStream.start(ReplicationConnections.open(jdbcUrl, user, password), options,
                startAt), types);
    }

    /** The next message, waiting for one. */
    public WalEvent read() throws SQLException {
        return decode(wal.read());
    }

    /** The next message if one has arrived, else null at once. */
    public WalEvent readPending() throws SQLException {
        ByteBuffer payload = wal.readPending();
        return payload == null ? null : decode(payload);
    }

    /** See {@link WalStream#confirmFlushed}: only after what lies before lsn is safe in Kafka. */
    public void confirmFlushed(Lsn lsn) {
        wal.confirmFlushed(lsn);
    }

    /** The server's WAL position as of the last message or keepalive received. */
    public Lsn lastReceivedLsn() {
        return wal.lastReceivedLsn();
    }

    public void forceUpdateStatus() throws SQLException {
        wal.forceUpdateStatus();
    }

    public PgOutputDecoder decoder() {
        return decoder;
    }

    @Override
    public void close() throws SQLException {
        wal.close();
    }

    private WalEvent decode(ByteBuffer payload) {
        return new WalEvent(wal.lastReceivedLsn(), decoder.decode(payload));
    }
}
