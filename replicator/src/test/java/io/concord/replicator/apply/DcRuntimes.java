package io.concord.replicator.apply;

import static org.awaitility.Awaitility.await;

import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import io.concord.replicator.testing.ClusterFixture;
import java.sql.Connection;
import java.time.Duration;
import java.util.Collection;

/** Brings DCs of a {@link ClusterFixture} up the way {@code concord run} does, for the ITs that run them in process. */
public final class DcRuntimes {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private DcRuntimes() {
    }

    /** {@code concord install}, setting REPLICA IDENTITY FULL where a table's resolver needs it. */
    public static void install(ClusterFixture cluster, ConcordConfig config) throws Exception {
        try (Connection connection = cluster.postgres(config.dc()).connect()) {
            new Installer(config).install(connection, true);
        }
    }

    public static DcRuntime installAndStart(ClusterFixture cluster, ConcordConfig config) throws Exception {
        install(cluster, config);
        return DcRuntime.start(config);
    }

    /** Waits until every DC's capture is active and its apply running. */
    static void awaitRunning(Collection<DcRuntime> runtimes) {
        for (DcRuntime runtime : runtimes) {
            await().atMost(WAIT).until(() -> runtime.capture().isActive() && runtime.apply().isRunning());
        }
    }
}
