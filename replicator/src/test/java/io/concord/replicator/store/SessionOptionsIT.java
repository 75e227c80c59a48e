package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.testing.ClusterFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Concord's sessions get their planner settings even when the user's JDBC URL sets options of its own. */
class SessionOptionsIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    @Test
    void sessionsPlanKeyedLookupsAsIndexLookupsAndCommitAsynchronously() throws SQLException {
        try (Connection connection = SessionOptions.applyTo(openWithUrlOptions())) {
            assertThat(settings(connection)).isEqualTo("force_custom_plan 1.1 off 8MB");
            connection.setAutoCommit(false);
            connection.rollback();
            assertThat(settings(connection)).as("set outside any transaction: a rollback keeps them")
                    .isEqualTo("force_custom_plan 1.1 off 8MB");
        }
    }

    private static Connection openWithUrlOptions() throws SQLException {
        PostgresServer postgres = cluster.postgres("a");
        String url = postgres.jdbcUrl() + (postgres.jdbcUrl().contains("?") ? "&" : "?") + "options=-c%20work_mem%3D8MB";
        return DriverManager.getConnection(url, postgres.user(), postgres.password());
    }

    private static String settings(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT current_setting('plan_cache_mode') || ' ' || current_setting('random_page_cost') || ' '"
                        + " || current_setting('synchronous_commit') || ' ' || current_setting('work_mem')")) {
            row.next();
            return row.getString(1);
        }
    }
}
