package io.concord.replicator.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGProperty;

/**
 * Opens the connection a {@link WalStream} runs on: a logical replication connection ({@code replication=database})
 * whose session settings are pinned to what {@link io.concord.replicator.types.PgTextCodec} reads.
 *
 * <p>pgoutput prints tuple values with the walsender session's own settings (DateStyle, IntervalStyle, TimeZone,
 * extra_float_digits, bytea_output), which a server's or role's defaults could change; pinning them makes the
 * text of every value the one the codec round-trips exactly, timestamptz in UTC included.
 */
public final class ReplicationConnections {

    private static final String[] SESSION_SETTINGS = {
        "SET DateStyle = 'ISO, MDY'",
        "SET IntervalStyle = 'postgres'",
        "SET TimeZone = 'UTC'",
        "SET extra_float_digits = 1",
        "SET bytea_output = 'hex'",
    };

    private ReplicationConnections() {
    }

    /** A new replication connection to the database of jdbcUrl, with the session settings pinned. */
    public static Connection open(String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        PGProperty.USER.set(props, user);
        if (password != null) {
            PGProperty.PASSWORD.set(props, password);
        }
        PGProperty.REPLICATION.set(props, "database");
        // Replication connections accept only the simple query protocol, and no version probing queries.
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        Connection connection = DriverManager.getConnection(jdbcUrl, props);
        try (Statement statement = connection.createStatement()) {
            for (String setting : SESSION_SETTINGS) {
                statement.execute(setting);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
