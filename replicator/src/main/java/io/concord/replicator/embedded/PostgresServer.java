package io.concord.replicator.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A PostgreSQL server with logical decoding on that tests and {@code concord demo} start, use and stop: embedded or in a container. */
public interface PostgresServer extends AutoCloseable {

    /** The database every server has. */
    String DEFAULT_DATABASE = "postgres";

    /** The JDBC URL of {@code database} on this server (without credentials). */
    String jdbcUrl(String database);

    /** The JDBC URL of the default database, {@value #DEFAULT_DATABASE}. */
    default String jdbcUrl() {
        return jdbcUrl(DEFAULT_DATABASE);
    }

    /** A superuser, allowed to create replication slots and publications. */
    String user();

    String password();

    /** A new connection to the default database; the caller closes it. */
    default Connection connect() throws SQLException {
        return connect(DEFAULT_DATABASE);
    }

    /** A new connection to {@code database}; the caller closes it. */
    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** Creates an empty database {@code name}. */
    default void createDatabase(String name) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    /** Shuts the server down; its data and port are kept for {@link #start()}. */
    void stop();

    /** Starts the server again on the same data and the same port. Does nothing if it runs. */
    void start();

    boolean isRunning();

    /** Stops the server and removes its data. */
    @Override
    void close();
}
