package io.concord.replicator.apply;

import io.concord.replicator.install.Installer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection one peer's batches are applied on, opened on first use and again after it was lost: in
 * READ COMMITTED (each statement sees capture's latest commit), not auto-committing, with the replication origin
 * of the peer's apply session set for the session so that capture knows every transaction on it as applied.
 */
final class ApplyConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyConnection.class);

    private final String peer;
    private final String origin;
    private final BatchApplier.ConnectionSource source;
    private Connection connection;

    ApplyConnection(String peer, int session, BatchApplier.ConnectionSource source) {
        this.peer = peer;
        this.origin = Installer.originName(peer, session);
        this.source = source;
    }

    /** The connection, opened and set up if there is none. */
    Connection get() throws SQLException {
        if (connection == null) {
            Connection opened = source.open();
            try {
                opened.setAutoCommit(true);
                try (PreparedStatement setup = opened.prepareStatement("SELECT pg_replication_origin_session_setup(?)")) {
                    setup.setString(1, origin);
                    setup.execute();
                }
                opened.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                opened.setAutoCommit(false);
            } catch (SQLException e) {
                opened.close();
                throw e;
            }
            connection = opened;
        }
        return connection;
    }

    /** Rolls back the open transaction; a connection that cannot is dropped, to be opened afresh. */
    void rollback() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                LOG.warn("rollback of a batch of {} failed; reconnecting: {}", peer, e.getMessage());
                drop();
            }
        }
    }

    /** Closes the connection without ceremony (it may be broken); the next {@link #get} opens another. */
    void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the apply connection of {}: {}", peer, e.getMessage());
            }
            connection = null;
        }
    }

    /** Releases the replication origin and closes the connection. */
    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
                try (PreparedStatement reset = connection.prepareStatement("SELECT pg_replication_origin_session_reset()")) {
                    reset.execute();
                }
            } catch (SQLException e) {
                LOG.debug("resetting the replication origin of {}: {}", peer, e.getMessage());
            }
            drop();
        }
    }
}
