package io.concord.resolver.conformance;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.conformance.History.Advance;
import io.concord.resolver.conformance.History.Deliver;
import io.concord.resolver.conformance.History.LocalWrite;
import io.concord.resolver.conformance.History.Step;
import io.concord.resolver.state.LocalChange;
import io.concord.resolver.state.Reconciler;
import io.concord.resolver.state.Reconciliation;
import io.concord.resolver.state.RowState;
import io.concord.version.Causality;
import io.concord.version.DcId;
import io.concord.version.HybridLogicalClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Replicas of one row replaying a {@link History} through a {@link Reconciler}, with a reference
 * model of happens-before kept beside them.
 *
 * <p>The reference is plain sets: each write's causal past is the set of writes its replica had
 * received when it was made (itself included), and each replica knows the union of the pasts it
 * received. Every delivery is checked against it: a write already known must be skipped, a write
 * whose past covers everything the replica knows must be applied without conflict, and any other
 * write is concurrent and must be reported as a conflict (unless both sides are deletes).
 */
public final class Simulation {

    /** The key of the row every history writes. */
    public static final RowImage KEY = RowImage.of(Map.of("id", 1L));

    /** A local write of an existing row with an op roll (0 to 99) below this deletes it. */
    public static final int DELETE_BELOW = 20;

    private static final long START_MICROS = 1_700_000_000_000_000L;

    private final Reconciler reconciler;
    private final TestTable table;
    private final boolean allowDeletes;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<Write> writes = new ArrayList<>();
    private long now = START_MICROS;
    private int conflicts;

    /** A write of the history, with its reference causal past. */
    public record Write(int id, int replica, VersionedRow row, Set<Integer> past, RowImage before) {
    }

    private static final class Replica {
        final DcId dc;
        final long skew;
        final HybridLogicalClock clock;
        final Set<Integer> known = new HashSet<>();
        RowState state = RowState.empty();

        Replica(DcId dc, long skew, LongSupplier wallClock) {
            this.dc = dc;
            this.skew = skew;
            this.clock = new HybridLogicalClock(wallClock);
        }
    }

    /** Replicas {@code a, b, c, ...} with the given clock skews. */
    public Simulation(ConfiguredResolver resolver, TestTable table, int replicaCount, List<Long> skewMicros,
                      boolean allowDeletes) {
        this.reconciler = new Reconciler("public.orders", resolver);
        this.table = table;
        this.allowDeletes = allowDeletes;
        for (int i = 0; i < replicaCount; i++) {
            long skew = skewMicros.get(i);
            replicas.add(new Replica(DcId.of(String.valueOf((char) ('a' + i))), skew, () -> now + skew));
        }
    }

    /** A simulation of {@code history} with deletes allowed, not yet run. */
    public static Simulation of(ConfiguredResolver resolver, TestTable table, History history) {
        return new Simulation(resolver, table, history.replicas(), history.skewMicros(), true);
    }

    /** Replays the steps, then delivers every write to every replica in a shuffled order with duplicates. */
    public Simulation runToQuiescence(History history) {
        history.steps().forEach(this::apply);
        deliverEverything(new Random(history.deliverySeed()));
        return this;
    }

    /** Replays one step. */
    public void apply(Step step) {
        if (step instanceof LocalWrite w) {
            write(w.replica() % replicas.size(), w.opRoll(), w.valueSeed());
        } else if (step instanceof Deliver d) {
            if (!writes.isEmpty()) {
                deliver(d.write() % writes.size(), d.replica() % replicas.size());
            }
        } else {
            now += ((Advance) step).micros();
        }
        now += 1_000;
    }

    /** Replica {@code index} writes the row now. */
    public Write write(int index, int opRoll, long valueSeed) {
        Replica replica = replicas.get(index);
        Random random = new Random(valueSeed);
        long commit = replica.clock.tick(now + replica.skew);
        RowState previous = replica.state;
        LocalChange change;
        RowImage before = null;
        if (!previous.exists()) {
            change = LocalChange.insert(replica.dc, commit, table.insert(random));
        } else if (allowDeletes && opRoll < DELETE_BELOW) {
            change = LocalChange.delete(replica.dc, commit);
        } else {
            before = previous.current().row();
            change = LocalChange.update(replica.dc, commit, before, table.update(before, random));
        }
        VersionedRow row = reconciler.write(previous, change);
        int id = writes.size();
        replica.known.add(id);
        Write write = new Write(id, index, row, Set.copyOf(replica.known), before);
        writes.add(write);
        replica.state = RowState.of(row);
        return write;
    }

    /** Delivers write {@code id} to replica {@code index}, checking detection against the reference. */
    public Reconciliation deliver(int id, int index) {
        Write write = writes.get(id);
        Replica replica = replicas.get(index);
        boolean known = replica.known.contains(id);
        boolean successor = write.past().containsAll(replica.known);
        VersionedRow localBefore = replica.state.current();
        replica.clock.receive(write.row().version().hlc());
        Reconciliation outcome = reconciler.receive(replica.state, KEY, write.row());
        Causality expected = known ? null : successor ? Causality.AFTER : Causality.CONCURRENT;
        String where = "write " + id + " (" + write.row().version() + ") delivered to " + replica.dc
                + " holding " + replica.state.version();
        if (expected == null) {
            check(outcome.causality() == Causality.BEFORE || outcome.causality() == Causality.EQUAL,
                    where + ": already known, so it must be skipped, but was " + outcome.causality());
            check(outcome.state() == replica.state, where + ": a skipped write changed the state");
        } else {
            check(outcome.causality() == expected, where + ": expected " + expected + ", got " + outcome.causality());
        }
        boolean bothDeleted = localBefore != null && localBefore.isTombstone() && write.row().isTombstone();
        boolean conflictExpected = expected == Causality.CONCURRENT && !bothDeleted;
        check(outcome.conflict().isPresent() == conflictExpected, where + ": conflict reported "
                + outcome.conflict().isPresent() + " but the reference says " + conflictExpected);
        if (outcome.conflict().isPresent()) {
            conflicts++;
        }
        replica.known.addAll(write.past());
        replica.state = outcome.state();
        return outcome;
    }

    /** Delivers every write to every replica, shuffled, with about a fifth delivered twice. */
    public void deliverEverything(Random random) {
        List<int[]> deliveries = new ArrayList<>();
        for (int id = 0; id < writes.size(); id++) {
            for (int index = 0; index < replicas.size(); index++) {
                deliveries.add(new int[] {id, index});
                if (random.nextInt(5) == 0) {
                    deliveries.add(new int[] {id, index});
                }
            }
        }
        Collections.shuffle(deliveries, random);
        deliveries.forEach(d -> deliver(d[0], d[1]));
    }

    /** Each replica's state, in replica order. */
    public List<RowState> states() {
        return replicas.stream().map(r -> r.state).toList();
    }

    /** The writes made, in order. */
    public List<Write> writes() {
        return Collections.unmodifiableList(writes);
    }

    /** How many conflicts were reported. */
    public int conflicts() {
        return conflicts;
    }

    /** The number of replicas. */
    public int size() {
        return replicas.size();
    }

    /** The sum of the counter deltas of all updates, i.e. the change each update made to the counter. */
    public long counterDeltaSum() {
        String counter = table.counterColumn();
        long sum = 0;
        for (Write write : writes) {
            if (write.row().operation() == Operation.UPDATE) {
                sum += (Long) write.row().row().get(counter) - (Long) write.before().get(counter);
            }
        }
        return sum;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
