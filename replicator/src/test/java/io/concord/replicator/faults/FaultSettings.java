package io.concord.replicator.faults;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The knobs of a fault run, from system properties. The seed is printed when a run starts and with every
 * failure; {@code -Dconcord.faults.seed=<seed>} replays a run's choices: the workload's operations, keys and
 * values, and which faults strike where and when. Thread and server timing still varies, as in any suite of
 * this kind, so a replay reproduces the same plan, not the same interleaving.
 *
 * @param seed             the run's seed
 * @param load             how long the workload runs in each scenario
 * @param ratePerDc        transactions per second the application commits in each DC
 * @param hotKeys          keys per table that every DC writes, so that concurrent writes conflict
 * @param convergeTimeout  how long the DCs may take to converge once the load stopped and faults healed
 * @param soak             how long the soak run lasts ({@code -Psoak})
 */
record FaultSettings(long seed, Duration load, double ratePerDc, int hotKeys, Duration convergeTimeout, Duration soak) {

    static final String SEED = "concord.faults.seed";
    static final String LOAD = "concord.faults.load";
    static final String RATE = "concord.faults.rate";
    static final String HOT_KEYS = "concord.faults.hot-keys";
    static final String CONVERGE_TIMEOUT = "concord.faults.converge-timeout";
    static final String SOAK = "concord.faults.soak";

    static FaultSettings fromSystemProperties() {
        String seed = System.getProperty(SEED);
        return new FaultSettings(
                seed == null || seed.isBlank() ? ThreadLocalRandom.current().nextLong() : Long.parseLong(seed.trim()),
                duration(LOAD, "PT16S"),
                Double.parseDouble(System.getProperty(RATE, "30")),
                Integer.parseInt(System.getProperty(HOT_KEYS, "6")),
                duration(CONVERGE_TIMEOUT, "PT3M"),
                duration(SOAK, "PT30M"));
    }

    /** The command-line option that replays this run. */
    String replay() {
        return "-D" + SEED + "=" + seed;
    }

    /** A seed of its own for one part of the run ({@code salt} names it), derived from the run's seed. */
    long derive(String salt) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (char c : salt.toCharArray()) {
            h = (h ^ c) * 0x100000001B3L;
        }
        return h ^ (h >>> 31);
    }

    private static Duration duration(String property, String fallback) {
        String value = System.getProperty(property, fallback).trim();
        try {
            return Duration.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("-D" + property + "=" + value + " is not an ISO-8601 duration such as "
                    + fallback, e);
        }
    }
}
