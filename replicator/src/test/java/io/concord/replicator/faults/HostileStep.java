package io.concord.replicator.faults;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The hostile-input step of a scenario: one record of each hostile kind, then a flood of duplicates, written onto
 * a's topic while the workload runs; it waits until b and c have got past the flood (timed), and afterwards checks
 * what became of every record ({@link HostileInputCheck}).
 */
final class HostileStep implements ScenarioPlan.Step {

    private static final long DIGEST_TIMEOUT_MILLIS = 240_000;

    private final FaultHarness harness;
    private final int floodSize;
    private final Random random;
    private final List<HostileInput.Injected> injected = new ArrayList<>();
    private HostileInput.Injected[] flood;
    private String topic;

    HostileStep(FaultHarness harness, int floodSize, Random random) {
        this.harness = harness;
        this.floodSize = floodSize;
        this.random = random;
    }

    @Override
    public void run(KeySpace keys, ScenarioRunner runner) throws Exception {
        try (HostileInput hostile = new HostileInput(harness.cluster.kafka().bootstrapServers(), FaultHarness.PREFIX,
                random)) {
            topic = hostile.topic();
            hostile.allowLargeRecords();
            injected.addAll(hostile.injectEach(keys));
            for (HostileInput.Injected record : injected) {
                HostileInput.RECEIVERS.stream().filter(record::setAsideBy)
                        .forEach(dc -> harness.deadLetters.expect(dc, topic, record.offset()));
            }
            long start = System.nanoTime();
            flood = hostile.flood(floodSize);
            long written = System.nanoTime();
            runner.report(String.format("hostile input:   %s written to %s at offsets %s", HostileInput.kinds(injected),
                    topic, injected.stream().map(HostileInput.Injected::offset).toList()));
            runner.report(String.format("                 %d duplicates (offsets %d..%d) written in %.1f s", floodSize,
                    flood[0].offset(), flood[1].offset(), (written - start) / 1e9));
            awaitPast(flood[1].offset(), runner);
            runner.report(String.format("                 b and c were past the flood %.1f s after it was written",
                    (System.nanoTime() - written) / 1e9));
        }
    }

    /** Waits until every receiver's apply has passed {@code offset} of a's topic. */
    private void awaitPast(long offset, ScenarioRunner runner) throws Exception {
        Function<String, PostgresServer> postgres = harness.cluster::postgres;
        long deadline = System.currentTimeMillis() + DIGEST_TIMEOUT_MILLIS;
        for (String dc : HostileInput.RECEIVERS) {
            while (nextOffset(postgres.apply(dc)) <= offset) {
                if (System.currentTimeMillis() > deadline) {
                    runner.violation("DC " + dc + " did not get past the duplicate flood (offset " + offset + ") within "
                            + DIGEST_TIMEOUT_MILLIS / 1000 + " s: applied up to " + nextOffset(postgres.apply(dc)));
                    return;
                }
                Thread.sleep(250);
            }
        }
    }

    private long nextOffset(PostgresServer postgres) throws Exception {
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT coalesce(max(next_offset), 0) FROM concord.apply_progress WHERE topic = ?")) {
            statement.setString(1, topic);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public List<String> check(Map<String, List<DeadLetters.Letter>> deadLetters) {
        if (flood == null) {
            return List.of("the hostile input was not all written");
        }
        return HostileInputCheck.check(injected, flood, topic, deadLetters, harness.cluster.kafka().bootstrapServers(),
                FaultHarness.PREFIX);
    }
}
