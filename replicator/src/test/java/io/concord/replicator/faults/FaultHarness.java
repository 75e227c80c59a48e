package io.concord.replicator.faults;

import io.concord.replicator.testing.ClusterFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Everything a fault run shares across its scenarios: the three DCs' tables and replicators, the history of
 * writes, the published versions, and the dead letters hostile input is expected to leave.
 */
final class FaultHarness implements AutoCloseable {

    static final String PREFIX = "concord";

    final ClusterFixture cluster;
    final FaultSettings settings;
    final Replicators replicators;
    final History history = new History();
    final PublishedVersions versions;
    final DeadLetters deadLetters = new DeadLetters();

    private FaultHarness(ClusterFixture cluster, FaultSettings settings, Replicators replicators) {
        this.cluster = cluster;
        this.settings = settings;
        this.replicators = replicators;
        this.versions = new PublishedVersions(cluster.kafka().bootstrapServers(), PREFIX);
    }

    /** Creates the tables in every DC, starts every DC's {@code concord run} and waits until all are active. */
    static FaultHarness start(ClusterFixture cluster, FaultSettings settings, String name) throws Exception {
        System.out.printf("%n=== fault run %s: seed %d (replay with %s), load %s per scenario, %.0f tx/s per DC,"
                + " %d hot keys per table ===%n", name, settings.seed(), settings.replay(), settings.load(),
                settings.ratePerDc(), settings.hotKeys());
        for (String dc : SuiteTable.DCS) {
            try (Connection connection = cluster.postgres(dc).connect(); Statement statement = connection.createStatement()) {
                for (SuiteTable table : SuiteTable.values()) {
                    statement.execute(table.ddl());
                }
            }
        }
        Path logs = Path.of(System.getProperty("java.io.tmpdir"), "faults", name + "-" + System.currentTimeMillis());
        Replicators replicators = Replicators.configure(cluster, logs);
        for (String dc : SuiteTable.DCS) {
            replicators.start(dc);
        }
        for (String dc : SuiteTable.DCS) {
            replicators.awaitActive(dc);
        }
        System.out.println("replicator logs: " + logs);
        return new FaultHarness(cluster, settings, replicators);
    }

    ScenarioRunner runner() {
        return new ScenarioRunner(this);
    }

    @Override
    public void close() {
        try {
            replicators.close();
        } finally {
            versions.close();
        }
    }
}
