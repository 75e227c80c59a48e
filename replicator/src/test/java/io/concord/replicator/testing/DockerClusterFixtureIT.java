package io.concord.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fixture on Testcontainers: runs only with {@code mvn -Pdocker}, and is skipped there (an
 * assumption naming why) when no Docker engine is reachable.
 */
class DockerClusterFixtureIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    // Uses the cluster from @BeforeAll, as many ITs do: without Docker the fixture must skip the
    // class before this runs.
    @BeforeAll
    static void createTopic() {
        cluster.kafka().createTopic("docker", 1, 1);
    }

    @Test
    void runsOnContainers() {
        assertThat(System.getProperty(ClusterBackend.PROPERTY)).isEqualTo("docker");
        assertThat(cluster.postgres("a")).isInstanceOf(ContainerPostgresServer.class);
        assertThat(cluster.kafka()).isInstanceOf(ContainerKafkaCluster.class);
    }

    @Test
    void postgresIsReadyForLogicalDecodingAndKeepsDataAcrossARestart() throws SQLException {
        PostgresServer postgres = cluster.postgres("a");
        String url = postgres.jdbcUrl();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id int)");
            statement.execute("INSERT INTO kept VALUES (1)");
            statement.execute("SELECT pg_create_logical_replication_slot('docker_slot', 'pgoutput')");
        }

        postgres.stop();
        postgres.start();

        assertThat(postgres.jdbcUrl()).isEqualTo(url);
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM kept")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void kafkaCarriesRecordsAcrossARestart() {
        KafkaRoundTrip.produce(cluster.kafka().bootstrapServers(), "docker", "v", 20);

        cluster.kafka().stopBroker(0);
        cluster.kafka().startBroker(0);

        assertThat(KafkaRoundTrip.consume(cluster.kafka().bootstrapServers(), "docker", 20, Duration.ofSeconds(30)))
                .containsExactlyElementsOf(KafkaRoundTrip.values("v", 20));
    }
}
