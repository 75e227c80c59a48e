package io.concord.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fixture gives each datacenter its own PostgreSQL and all of them one Kafka cluster. */
class ClusterFixtureIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");

    @Test
    void listsItsDatacenters() {
        assertThat(cluster.datacenters()).containsExactly("a", "b");
        assertThatThrownBy(() -> cluster.postgres("c")).hasMessageContaining("[a, b]");
    }

    @Test
    void eachDatacenterHasItsOwnDatabaseServer() throws SQLException {
        PostgresServer a = cluster.postgres("a");
        PostgresServer b = cluster.postgres("b");
        assertThat(a.jdbcUrl()).isNotEqualTo(b.jdbcUrl()).endsWith("/postgres");
        assertThat(a.user()).isEqualTo("postgres");
        assertThat(a.password()).isNotEmpty();

        execute(a, "CREATE TABLE only_in_a (id int)");

        assertThat(count(a, "only_in_a")).isZero();
        assertThatThrownBy(() -> count(b, "only_in_a")).hasMessageContaining("only_in_a");
    }

    @Test
    void kafkaCarriesRecords() {
        cluster.kafka().createTopic("fixture", 1, 1);
        KafkaRoundTrip.produce(cluster.kafka().bootstrapServers(), "fixture", "x", 50);

        assertThat(KafkaRoundTrip.consume(cluster.kafka().bootstrapServers(), "fixture", 50, Duration.ofSeconds(30)))
                .containsExactlyElementsOf(KafkaRoundTrip.values("x", 50));
    }

    @Test
    void aDatacentersDatabaseComesBackWithItsData() throws SQLException {
        PostgresServer b = cluster.postgres("b");
        execute(b, "CREATE TABLE kept_in_b AS SELECT generate_series(1, 10) AS id");

        b.stop();
        assertThatThrownBy(b::connect).isInstanceOf(SQLException.class);
        b.start();

        assertThat(count(b, "kept_in_b")).isEqualTo(10);
    }

    private static void execute(PostgresServer server, String sql) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(PostgresServer server, String table) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
