package io.concord.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.replicator.apply.DcRuntimes;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.ConcordProcess;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code concord run} as a separate process, stopped with SIGTERM while it is still starting (a pod stopped while
 * starting, a supervisor restarting it quickly): it must stop in order — the shutdown hook closing apply and
 * capture, the JVM's ordinary exit status — and the next start must replicate as if nothing had happened.
 */
class RunStopIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of(System.getProperty("java.io.tmpdir"), "run-stop-it");
    private static final String TABLES = "  - name: items\n";

    private static Path configOfA;
    private static DcRuntime runtimeOfB;

    @BeforeAll
    static void setUp() throws Exception {
        for (String dc : List.of("a", "b")) {
            new DcSql(cluster).sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, v text)");
        }
        configOfA = TestConfigs.write(LOGS.resolve("concord-a.yaml"), TestConfigs.yaml(cluster, "a", List.of("b"),
                TABLES, null));
        runtimeOfB = DcRuntimes.installAndStart(cluster,
                TestConfigs.parse(TestConfigs.yaml(cluster, "b", List.of("a"), TABLES, null)));
        await().atMost(WAIT).until(() -> runtimeOfB.capture().isActive());
    }

    @AfterAll
    static void tearDown() {
        if (runtimeOfB != null) {
            runtimeOfB.close();
        }
    }

    @Test
    void aSigtermWhileStartingStopsInOrderAndTheNextStartReplicates() throws Exception {
        // Each moment is a line the process logs on its way up: before the install, after it, once capture runs.
        // Where exactly the SIGTERM lands after it varies; every place must give the same orderly stop.
        List<String> moments = List.of("effective config", "install: ", "capture of DC a is active");
        for (int i = 0; i < moments.size(); i++) {
            String moment = moments.get(i);
            try (ConcordProcess process = run("stopped-at-" + i)) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> process.log().contains(moment)
                        || !process.isAlive());
                int exit = process.stop();
                String log = process.log();
                assertThat(exit).as("exit status after SIGTERM at '%s'; log:%n%s", moment, log).isIn(0, 143);
                assertThat(log).as("stopped in order at '%s'", moment).contains("stopping DC a")
                        .contains("apply of DC a stopped");
                assertThat(log).as("no failure at '%s'", moment).doesNotContain("Exception");
            }
        }

        new DcSql(cluster).sql("b", "INSERT INTO items VALUES (1, 'after the stops')");
        try (ConcordProcess process = run("after")) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(process.isAlive()).as("a runs; logs in %s", LOGS).isTrue();
                assertThat(new DcSql(cluster).query("a", "SELECT v FROM items WHERE id = 1"))
                        .isEqualTo("after the stops");
            });
            assertThat(process.stop()).isIn(0, 143);
            assertThat(process.log()).contains("apply of DC a stopped");
        }
    }

    private static ConcordProcess run(String name) throws Exception {
        return ConcordProcess.start(LOGS.resolve(name + ".log"), 512, "run", "--config", configOfA.toString());
    }
}
