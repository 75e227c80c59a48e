package io.concord.replicator.bench;

import io.concord.replicator.embedded.PostgresServer;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One database on one of the bench's PostgreSQL servers, with the plain SQL the bench runs against it. */
record Db(PostgresServer server, String name) {

    Connection connect() throws SQLException {
        return server.connect(name);
    }

    String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** A libpq connection string for a subscription on another server of this machine (loopback is trusted). */
    String libpqConnection() {
        URI uri = URI.create(jdbcUrl().substring("jdbc:".length()));
        return "host=" + uri.getHost() + " port=" + uri.getPort() + " dbname=" + name + " user=" + server.user();
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row as a long; 0 when there is no row or it is null. */
    long queryLong(String sql, Object... parameters) throws SQLException {
        String value = queryString(sql, parameters);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The first column of the first row as text, or null. */
    String queryString(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** An md5 over every row of {@code items} in key order: equal tables, equal sums. */
    String itemsChecksum() throws SQLException {
        return queryString("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '')"
                + " FROM items t");
    }

    @Override
    public String toString() {
        return name + "@" + server.jdbcUrl(name);
    }
}
