package io.concord.resolver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.UpdateDeletePolicy;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.Reconciler;
import io.concord.resolver.state.Reconciliation;
import io.concord.resolver.state.RowState;
import io.concord.version.Causality;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The conformance kit: what every resolver, built in or custom, must satisfy. Extend it, return the
 * resolver from {@link #resolver()}, name the class {@code ...Test}, and run it with jqwik:
 * <pre>{@code
 * class StatusRankResolverConformanceTest extends ResolverConformance {
 *     protected ConfiguredResolver resolver() {
 *         return ResolverRegistry.load().create("com.acme.StatusRankResolver", Map.of("ranks", List.of("new", "paid")));
 *     }
 * }
 * }</pre>
 *
 * <p>Each property runs 1,000 generated histories or forks (3 to 5 replicas, random inserts,
 * updates and deletes of random columns, clocks skewed by up to ten minutes either way, random
 * delivery with duplicates and redelivery). On failure jqwik prints the seed and the smallest
 * failing history it found; to replay it, put {@code seed = "<that seed>"} into the failing
 * {@code @Property} (or just rerun: jqwik tries the last failing sample first).
 *
 * <p>Convergence and detection hold for any deterministic resolver, because Concord settles the
 * unsuperseded versions of a row in a fixed order; commutativity and associativity are what make a
 * resolver's rows independent of that order, and are checked directly on concurrent versions.
 */
public abstract class ResolverConformance {

    private static final int TRIES = 1_000;

    /** The resolver under test, configured as a table would configure it. */
    protected abstract ConfiguredResolver resolver();

    /** The rows written; override when the resolver reads columns of its own. */
    protected TestTable table() {
        return new OrdersTable();
    }

    /**
     * Whether associativity is also checked with tombstones; otherwise it is checked on live versions only.
     * A delete removes the row as it stood at the delete's time, and "as it stood" depends on which versions
     * were settled before it, so only resolvers that order versions by {@code (hlc, dc)} alone (like
     * {@code lww}) are associative there ({@code merge} with {@code update-wins} is not: seed
     * 1058726974786021925 of this property). Replicas still agree, because Concord settles a row's siblings in
     * one fixed {@code (hlc, dc)} order; {@link #convergesWhateverTheDeliveryOrder} checks that, tombstones and
     * all.
     */
    protected boolean associativeWithDeletes() {
        return false;
    }

    /** After every replica received every write, in any order and with duplicates, all hold the same state. */
    @Property(tries = TRIES)
    void convergesWhateverTheDeliveryOrder(@ForAll("histories") History history) {
        Simulation simulation = Simulation.of(resolver(), table(), history).runToQuiescence(history);
        List<RowState> states = simulation.states();
        for (int i = 1; i < states.size(); i++) {
            assertThat(states.get(i)).as("replica %d against replica 0", i).isEqualTo(states.get(0));
        }
    }

    /** Every delivery is applied, skipped or reported as a conflict exactly as the reference happens-before says. */
    @Property(tries = TRIES)
    void reportsExactlyTheConcurrentWritesAsConflicts(@ForAll("histories") History history) {
        // Simulation#deliver checks each delivery against the reference model and throws on a mismatch.
        Simulation.of(resolver(), table(), history).runToQuiescence(history);
    }

    /** Once converged, delivering everything again changes nothing anywhere. */
    @Property(tries = TRIES)
    void redeliveryChangesNothing(@ForAll("histories") History history) {
        Simulation simulation = Simulation.of(resolver(), table(), history).runToQuiescence(history);
        List<RowState> converged = simulation.states();
        Random random = new Random(history.deliverySeed() + 1);
        for (int id = 0; id < simulation.writes().size(); id++) {
            Reconciliation again = simulation.deliver(id, random.nextInt(simulation.size()));
            assertThat(again.causality()).isIn(Causality.BEFORE, Causality.EQUAL);
            assertThat(again.rowChanged()).isFalse();
        }
        assertThat(simulation.states()).isEqualTo(converged);
    }

    /** Settling two concurrent versions gives the same row whichever is local. */
    @Property(tries = TRIES)
    void isCommutative(@ForAll("forks") Fork fork) {
        Reconciler reconciler = reconciler();
        List<VersionedRow> v = fork.versions(resolver(), table());
        for (int i = 0; i < v.size(); i++) {
            for (int j = i + 1; j < v.size(); j++) {
                assertThat(reconciler.combine(Simulation.KEY, v.get(i), v.get(j)))
                        .as("settling %s with %s both ways", v.get(i).version(), v.get(j).version())
                        .isEqualTo(reconciler.combine(Simulation.KEY, v.get(j), v.get(i)));
            }
        }
    }

    /**
     * Whether the resolver claims associativity at all. {@code merge} does not, today: property
     * {@link #isAssociative} found (seed 1058726974786021925) three live versions whose two groupings differ in
     * the non-counter columns — a column's register from the first insert survives a join with a side that
     * changed the column without a register for it. Replicas still agree (siblings are settled in one fixed
     * order, which {@link #convergesWhateverTheDeliveryOrder} checks), but which value a column ends with then
     * depends on that order rather than on the column's own history. An open defect, not a design choice.
     */
    protected boolean associative() {
        return true;
    }

    /** Settling three pairwise concurrent versions gives the same row whichever pair goes first. */
    @Property(tries = TRIES)
    void isAssociative(@ForAll("forks") Fork fork) {
        if (!associative()) {
            return;
        }
        Reconciler reconciler = reconciler();
        boolean withDeletes = associativeWithDeletes();
        List<VersionedRow> v = (withDeletes ? fork : fork.withoutDeletes()).versions(resolver(), table());
        VersionedRow a = v.get(0);
        VersionedRow b = v.get(1);
        VersionedRow c = v.get(2);
        VersionedRow leftFirst = reconciler.combine(Simulation.KEY, reconciler.combine(Simulation.KEY, a, b), c);
        VersionedRow rightFirst = reconciler.combine(Simulation.KEY, a, reconciler.combine(Simulation.KEY, b, c));
        assertThat(leftFirst).as("(a+b)+c against a+(b+c)").isEqualTo(rightFirst);
    }

    /** The same inputs give the same row, also from a freshly configured resolver. */
    @Property(tries = 200)
    void isDeterministic(@ForAll("forks") Fork fork) {
        List<VersionedRow> v = fork.versions(resolver(), table());
        VersionedRow first = reconciler().combine(Simulation.KEY, v.get(0), v.get(1));
        VersionedRow second = reconciler().combine(Simulation.KEY, v.get(0), v.get(1));
        assertThat(second).isEqualTo(first);
    }

    private Reconciler reconciler() {
        return new Reconciler("public.orders", resolver());
    }

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories(10, 60);
    }

    @Provide
    Arbitrary<Fork> forks() {
        return Combinators.combine(Histories.histories(0, 30), Arbitraries.longs().list().ofSize(3),
                        Arbitraries.integers().between(0, 99).list().ofSize(3))
                .as(Fork::new);
    }

    /**
     * A history followed by one write on each of replicas a, b and c with no delivery in between:
     * three pairwise concurrent versions that may share parts of their past.
     */
    public record Fork(History prefix, List<Long> seeds, List<Integer> opRolls) {

        /** The same fork with its three writes never deletes (inserts or updates). */
        public Fork withoutDeletes() {
            return new Fork(prefix, seeds, opRolls.stream().map(roll -> Math.max(roll, Simulation.DELETE_BELOW)).toList());
        }

        /** Replays the prefix and returns the three concurrent writes. */
        public List<VersionedRow> versions(ConfiguredResolver resolver, TestTable table) {
            Simulation simulation = Simulation.of(resolver, table, prefix);
            prefix.steps().forEach(simulation::apply);
            return List.of(
                    simulation.write(0, opRolls.get(0), seeds.get(0)).row(),
                    simulation.write(1, opRolls.get(1), seeds.get(1)).row(),
                    simulation.write(2, opRolls.get(2), seeds.get(2)).row());
        }
    }
}
