package io.concord.replicator.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates or upgrades Concord's own schema {@code concord} (idempotent; never touches user tables). */
public final class ConcordSchema {

    public static final int VERSION = 1;

    private ConcordSchema() {
    }

    /** Applies {@code schema.sql} in one transaction. */
    public static void apply(Connection connection) throws SQLException {
        String sql;
        try (InputStream in = ConcordSchema.class.getResourceAsStream("schema.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Concord's schema.sql", e);
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Concurrent installs (two instances of one DC starting together) serialize here.
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('concord.install'))");
            statement.execute(sql);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Drops the schema and everything in it: versions, conflicts, dead letters. */
    public static void drop(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS concord CASCADE");
        }
    }
}
