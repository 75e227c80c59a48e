package io.concord.replicator.bench;

/**
 * Unmeasured runs until the JIT compilers have settled: until one run leaves their threads under
 * {@link #SETTLED_MILLIS} of CPU, at most a given number. Concord runs in a JVM, with the embedded broker, and each
 * shape of load (large backlog batches, a steady stream of small ones, the application's clients) exercises code
 * the others did not compile; native replication needs no such runs, PostgreSQL being compiled ahead of time. A
 * running replicator pays this once, at its start.
 */
final class JitWarmUp {

    /** A run during which the JIT compilers spent less CPU than this counts as run on a compiled JVM. */
    static final long SETTLED_MILLIS = 2_000;

    /** One unmeasured run; {@code round} counts from 1. */
    interface Run {
        void run(int round) throws Exception;
    }

    private JitWarmUp() {
    }

    /** Runs {@code run} until the JIT settles or {@code maxRuns} ran; logs each run's JIT CPU; returns the runs. */
    static int until(Progress progress, String label, int maxRuns, Run run) throws Exception {
        for (int round = 1; ; round++) {
            long jitBefore = CpuMeter.jitNanos();
            run.run(round);
            long jitMillis = (CpuMeter.jitNanos() - jitBefore) / 1_000_000;
            progress.log("%s %d: the JIT compilers spent %.2f s of CPU", label, round, jitMillis / 1e3);
            if (jitMillis < SETTLED_MILLIS || round >= maxRuns) {
                return round;
            }
        }
    }

    /** How the note of a scenario says it. */
    static String note(String what, int runs, int maxRuns) {
        return "before the first repetition, " + runs + " unmeasured Concord run(s) of " + what + " warm the JVM up,"
                + " until the JIT compilers spent less than " + SETTLED_MILLIS + " ms of CPU in one (at most "
                + maxRuns + ")";
    }
}
