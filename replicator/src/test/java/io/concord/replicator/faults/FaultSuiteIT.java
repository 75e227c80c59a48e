package io.concord.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.testing.ClusterFixture;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concord under fire, Jepsen style, on real servers: three DCs (each a real PostgreSQL and a {@code concord run}
 * child process), one Kafka cluster of three brokers (child processes, topics replicated three times), and an
 * application writing seeded random transactions into all three DCs at once, many on the same hot keys.
 *
 * <p>Each scenario strikes one kind of fault during the load (then all mixed), heals, waits for quiet, and checks
 * on its own range of keys that every DC is identical, that no committed write is lost, that versions keep
 * causality, that every concurrent pair of writes on the record table is a recorded conflict (and nothing else
 * is), and that nothing valid became a dead letter. One scenario writes hostile records onto the topics while the
 * pipeline runs. Scenarios share the cluster and run in order; a clock skew, once given, stays.
 *
 * <p>The seed is printed first; {@code -Dconcord.faults.seed=...} replays it. Other knobs: {@link FaultSettings}.
 * The long run is {@link FaultSoakIT} ({@code -Psoak}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {

    private static final FaultSettings SETTINGS = FaultSettings.fromSystemProperties();

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b", "c").kafkaBrokers(3).killableBrokers();

    @RegisterExtension
    final PrintSeedOnFailure seed = new PrintSeedOnFailure(SETTINGS);

    private static FaultHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = FaultHarness.start(cluster, SETTINGS, "suite");
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    @Order(1)
    void replicatorsKilledWithSigkillAndRestartedLoseNothing() throws Exception {
        Random random = random("kill");
        run(ScenarioPlan.of("kill -9 of replicators", load(), List.of(
                Fault.on(Fault.Kind.KILL_REPLICATOR, dc(random), at(0.15), Duration.ofSeconds(2)),
                Fault.on(Fault.Kind.KILL_REPLICATOR, dc(random), at(0.55), Duration.ofSeconds(1)))));
    }

    @Test
    @Order(2)
    void aGracefulRestartLosesNothing() throws Exception {
        run(ScenarioPlan.of("graceful restart", load(), List.of(
                Fault.on(Fault.Kind.RESTART_REPLICATOR, dc(random("graceful")), at(0.3), Duration.ofSeconds(1)))));
    }

    @Test
    @Order(3)
    void aKafkaBrokerKilledAndRestartedLosesNothing() throws Exception {
        run(ScenarioPlan.of("Kafka broker killed", load(), List.of(
                Fault.broker(random("broker").nextInt(3), at(0.2), at(0.4)))));
    }

    @Test
    @Order(4)
    void aDatabaseRestartedUnderTheReplicatorLosesNothing() throws Exception {
        run(ScenarioPlan.of("PostgreSQL restarted", load(), List.of(
                Fault.on(Fault.Kind.RESTART_POSTGRES, dc(random("postgres")), at(0.25), Duration.ofSeconds(3)))));
    }

    @Test
    @Order(5)
    void aDcCutOffWhileBothSidesWriteConvergesAfterTheHeal() throws Exception {
        run(ScenarioPlan.of("DC cut off, then healed", load(), List.of(
                Fault.on(Fault.Kind.CUT_OFF, dc(random("cut-off")), at(0.25), Duration.ZERO))));
    }

    @Test
    @Order(6)
    void hostileInputOnTheTopicsIsSetAsideOrDroppedWhileValidEventsFlow() throws Exception {
        run(ScenarioPlan.of("hostile input", load(), List.of())
                .during(new HostileStep(harness, 100_000, random("hostile"))));
    }

    @Test
    @Order(7)
    void aSkewedClockKeepsCausality() throws Exception {
        run(ScenarioPlan.of("clock skew", load(), List.of()).withSkew(dc(random("skew")), Duration.ofSeconds(30)));
    }

    @Test
    @Order(8)
    void allFaultsMixed() throws Exception {
        Duration load = load().multipliedBy(3).dividedBy(2);
        run(ScenarioPlan.mixed("all faults mixed", load, 4, random("mixed")));
    }

    /**
     * Issue 5's last gap (see {@code BatchApplier}, "Rows absent here"), once a known bug kept out of the default
     * run. A key that is absent in a DC cannot be locked, so when a batch leaves it deleted and a local insert of
     * it commits between the batch's capture barrier and its commit, capture versions the insert from the older
     * state and then takes the batch's state over it: the insert's version is lost from
     * {@code concord.row_versions}, and the DC's next write of the row reuses its counter. Found by this suite
     * (seed -4408437682170069632, 'graceful restart'): lww_items id 2000005, DC a wrote INSERT xid 1786 as
     * {@code a:3,b:6,c:2} and then DELETE xid 1813 as {@code a:3,b:6,c:5} (counter a:3 twice); in 'hostile input'
     * the same race left a's row_versions at {@code a:84,...} while b and c hold {@code a:85,...} (divergence).
     * Seeds 5884880813549057674 and 7273535262499922666 reproduced it here (counters reused on priority_items and
     * lww_items). The default scenarios never insert a deleted hot key again ({@link KeySpace}); this one does, often,
     * on 3 hot keys.
     *
     * <p>Since apply goes round again when a local write of an unlocked key commits after its lock, and reads a key
     * it leaves deleted once more before committing, this scenario passed with the two seeds above and a new one;
     * since apply stores the states it settles, with two more. What was left — a local insert committing between
     * that last read and apply's commit — capture now settles by storing a state only over the one it computed it
     * from ({@code CaptureLoop}); the scenario is part of the default run since (seeds 5884880813549057674,
     * -4408437682170069632, 12345 and 777 passed).
     */
    @Test
    @Order(9)
    void hotKeysDeletedAndInsertedAgainKeepExactVersions() throws Exception {
        run(ScenarioPlan.of("hot keys deleted and inserted again", load().multipliedBy(2), List.of(
                Fault.on(Fault.Kind.RESTART_REPLICATOR, dc(random("reinsert")), at(0.3), Duration.ofSeconds(1)),
                Fault.on(Fault.Kind.RESTART_REPLICATOR, dc(random("reinsert-2")), at(1.2), Duration.ofSeconds(1))))
                .reinsertingDeletedKeys(3));
    }

    private static void run(ScenarioPlan plan) throws Exception {
        ScenarioResult result = harness.runner().run(plan);
        assertThat(result.violations()).as(Report.failure(result, SETTINGS.replay())).isEmpty();
    }

    private static Duration load() {
        return SETTINGS.load();
    }

    private static Duration at(double share) {
        return Duration.ofMillis((long) (load().toMillis() * share));
    }

    private static Random random(String scenario) {
        return new Random(SETTINGS.derive(scenario));
    }

    private static String dc(Random random) {
        return SuiteTable.DCS.get(random.nextInt(SuiteTable.DCS.size()));
    }
}
