package io.concord.replicator.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A scenario: its name, how long the load runs, the faults struck during it, an optional clock skew given to
 * one DC before it starts, an optional step run while the load runs (hostile input), whether deleted hot
 * keys may be inserted again ({@link KeySpace}), and how many hot keys per table (0: the run's setting).
 */
record ScenarioPlan(String name, Duration load, List<Fault> faults, String skewedDc, Duration skew, Step during,
                    boolean reinsertDeleted, int hotKeys) {

    /** Work done while the load runs (from the test's thread, a few seconds into the load), and its own check. */
    interface Step {

        void run(KeySpace keys, ScenarioRunner runner) throws Exception;

        /** Once the system is quiet: what went wrong, given every DC's dead letters. */
        List<String> check(Map<String, List<DeadLetters.Letter>> deadLetters);
    }

    static ScenarioPlan of(String name, Duration load, List<Fault> faults) {
        return new ScenarioPlan(name, load, faults, null, null, null, false, 0);
    }

    ScenarioPlan withSkew(String dc, Duration by) {
        return new ScenarioPlan(name, load, faults, dc, by, during, reinsertDeleted, hotKeys);
    }

    ScenarioPlan during(Step step) {
        return new ScenarioPlan(name, load, faults, skewedDc, skew, step, reinsertDeleted, hotKeys);
    }

    /** Lets the workload insert hot keys again after they were deleted, with {@code hotKeys} of them per table. */
    ScenarioPlan reinsertingDeletedKeys(int hotKeys) {
        return new ScenarioPlan(name, load, faults, skewedDc, skew, during, true, hotKeys);
    }

    /**
     * A random mix of every kind of fault over {@code load}, no two on one target at once and none on a DC whose
     * database is down, drawn from {@code random} (the run's seed).
     */
    static ScenarioPlan mixed(String name, Duration load, int count, Random random) {
        List<Fault> faults = new ArrayList<>();
        long loadMillis = load.toMillis();
        Fault.Kind[] kinds = Fault.Kind.values();
        int attempts = 0;
        while (faults.size() < count && attempts++ < 1_000) {
            Fault.Kind kind = kinds[random.nextInt(kinds.length)];
            long at = (long) (loadMillis * (0.05 + 0.6 * random.nextDouble()));
            long length = switch (kind) {
                case CUT_OFF -> loadMillis - at;
                case RESTART_POSTGRES -> 2_000 + random.nextInt(4_000);
                default -> 1_000 + random.nextInt(6_000);
            };
            Fault fault = kind == Fault.Kind.KILL_BROKER
                    ? Fault.broker(random.nextInt(3), Duration.ofMillis(at), Duration.ofMillis(length))
                    : Fault.on(kind, SuiteTable.DCS.get(random.nextInt(3)), Duration.ofMillis(at), Duration.ofMillis(length));
            if (faults.stream().noneMatch(f -> clash(f, fault))) {
                faults.add(fault);
            }
        }
        faults.sort(Comparator.comparing(Fault::at));
        return of(name, load, faults);
    }

    /**
     * Two faults clash if they overlap in time on one DC (a replicator cannot start while its database is down)
     * or on one broker, or if both are broker faults at once (Kafka keeps writing with one broker of three down,
     * not two).
     */
    private static boolean clash(Fault a, Fault b) {
        long aEnd = a.at().plus(a.length()).toMillis() + 15_000; // a restarted replicator takes a while to be active
        long bEnd = b.at().plus(b.length()).toMillis() + 15_000;
        boolean overlap = a.at().toMillis() < bEnd && b.at().toMillis() < aEnd;
        boolean brokers = a.kind() == Fault.Kind.KILL_BROKER && b.kind() == Fault.Kind.KILL_BROKER;
        boolean sameDc = a.dc() != null && a.dc().equals(b.dc());
        return overlap && (brokers || sameDc);
    }
}
