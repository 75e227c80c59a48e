package io.concord.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * {@code deploy/compose.yaml} brought up for real: the image built from the Dockerfile, three PostgreSQL, three
 * Kafka clusters, MirrorMaker 2 and three Concords; rows written in every DC, one row updated in two DCs at
 * once, and all three DCs checked equal. Needs a Docker engine with the compose plugin: it runs with
 * {@code mvn -Pdocker verify}, and without an engine it is skipped with the reason.
 */
class ComposeIT {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeIT.class);
    private static final List<String> DCS = List.of("a", "b", "c");
    private static final Duration STARTUP = Duration.ofMinutes(10);
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final DeployTree CHECKOUT = DeployTree.ofThisCheckout();
    private static final Map<String, String> ENVIRONMENT = ComposeCheck.envExample(CHECKOUT);

    private static ComposeContainer compose;

    @BeforeAll
    static void up() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        String reason = "ComposeIT brings deploy/compose.yaml up with Docker (mvn -Pdocker), but no Docker engine is"
                + " reachable (DOCKER_HOST, /var/run/docker.sock); DeployFilesTest and MirrorMakerIT check these"
                + " files without one";
        if (!docker) {
            // Failsafe reports a class skipped here as "Tests run: 0" without the reason, hence the log line.
            LOG.warn("ComposeIT skipped: {}", reason);
        }
        Assumptions.assumeTrue(docker, reason);
        compose = new ComposeContainer(new File(CHECKOUT.file(DeployChecks.COMPOSE_PER_DC).toString()))
                .withLocalCompose(true)
                .withBuild(true)
                .withEnv(ENVIRONMENT);
        for (String dc : DCS) {
            compose.withExposedService("postgres-" + dc, 5432, Wait.forListeningPort().withStartupTimeout(STARTUP))
                    .withExposedService("concord-" + dc, 8080,
                            Wait.forHttp("/health").forStatusCode(200).withStartupTimeout(STARTUP));
        }
        compose.start();
    }

    @AfterAll
    static void down() {
        if (compose != null) {
            compose.stop();
        }
    }

    @Test
    void rowsWrittenInEveryDcConvergeInAllThree() throws Exception {
        for (int i = 0; i < DCS.size(); i++) {
            String dc = DCS.get(i);
            sql(dc, "INSERT INTO accounts (id, owner, balance) SELECT g, 'written in " + dc + "', g"
                    + " FROM generate_series(" + (i * 1000 + 1) + ", " + (i * 1000 + 100) + ") g");
        }
        awaitConverged(300);
        sql("a", "UPDATE accounts SET owner = 'a was here' WHERE id = 2001");
        sql("c", "UPDATE accounts SET owner = 'c was here' WHERE id = 2001");
        sql("b", "DELETE FROM accounts WHERE id BETWEEN 1 AND 10");
        awaitConverged(290);
        assertThat(query("b", "SELECT owner FROM accounts WHERE id = 2001")).isIn("a was here", "c was here");
    }

    private static void awaitConverged(int rows) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            String checksum = checksum("a");
            assertThat(query("a", "SELECT count(*) FROM accounts")).isEqualTo(String.valueOf(rows));
            assertThat(checksum("b")).isEqualTo(checksum);
            assertThat(checksum("c")).isEqualTo(checksum);
        });
    }

    private static String checksum(String dc) throws Exception {
        return query(dc, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM accounts t");
    }

    private static Connection connect(String dc) throws Exception {
        String service = "postgres-" + dc;
        return DriverManager.getConnection("jdbc:postgresql://" + compose.getServiceHost(service, 5432) + ":"
                        + compose.getServicePort(service, 5432) + "/app", "concord",
                ENVIRONMENT.get("PG_PASSWORD_" + dc.toUpperCase()));
    }

    private static void sql(String dc, String sql) throws Exception {
        try (Connection connection = connect(dc); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(String dc, String sql) throws Exception {
        try (Connection connection = connect(dc); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
