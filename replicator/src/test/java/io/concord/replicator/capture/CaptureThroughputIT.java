package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.TestConfigs;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prints capture's throughput, WAL to Kafka acknowledgement, on a backlog: not a timed assertion
 * (speed targets live in benchmarks), but the number the capture issue asks to report, measured
 * the same way every build.
 */
class CaptureThroughputIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final int ROWS = 100_000;

    @Test
    void measuresCaptureThroughputOnABacklog() throws Exception {
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE items (id int8 PRIMARY KEY, k int4, v text, updated_at timestamptz)");
        }
        ConcordConfig config = TestConfigs.parse(TestConfigs.yaml(cluster, "a", List.of("b"), "  - name: items\n", null));
        try (Connection connection = cluster.postgres("a").connect()) {
            new Installer(config).install(connection, false);
        }
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
            for (int tx = 0; tx < ROWS / 1_000; tx++) {
                statement.execute("INSERT INTO items SELECT i, i % 100, md5(i::text), now() FROM generate_series("
                        + (tx * 1_000 + 1) + ", " + (tx + 1) * 1_000 + ") i");
            }
        }
        CaptureService capture = new CaptureService(config);
        Thread thread = new Thread(capture, "capture-throughput");
        long start = System.nanoTime();
        thread.start();
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> capture.metrics().published() >= ROWS
                    || capture.failure() != null);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("capture throughput: %d events (1,000-row transactions) from WAL to Kafka ack in %.2f s"
                    + " = %.0f events/s%n", capture.metrics().published(), seconds, capture.metrics().published() / seconds);
            assertThat(capture.failure()).isNull();
            assertThat(capture.metrics().published()).isEqualTo(ROWS);
        } finally {
            capture.stop();
            thread.join(10_000);
        }
    }
}
