package io.concord.replicator.bench;

import java.time.Duration;

/**
 * Sizes, rates and durations of every scenario: the defaults of issue 9, or {@code --quick} ones small enough
 * for a test to run the whole bench in about a minute and a half (their numbers mean little).
 */
record BenchSettings(
        int repetitions,
        int singleRowTransactions,
        int batchTransactions,
        int rowsPerBatchTransaction,
        int updates,
        int updatedRows,
        int lagRate,
        Duration lagDuration,
        Duration lagWarmup,
        int lagWriters,
        int overheadClients,
        Duration overheadDuration,
        int hotRows,
        Duration conflictDuration,
        int conflictWritersPerDc,
        Duration applyTimeout) {

    static BenchSettings defaults() {
        return new BenchSettings(3, 200_000, 200, 1_000, 100_000, 100_000, 2_000, Duration.ofSeconds(30),
                Duration.ofSeconds(5), 4, 4,
                Duration.ofSeconds(20), 1_000, Duration.ofSeconds(30), 2, Duration.ofMinutes(30));
    }

    static BenchSettings quick() {
        return new BenchSettings(1, 5_000, 5, 1_000, 3_000, 3_000, 2_000, Duration.ofSeconds(3),
                Duration.ofSeconds(1), 4, 4,
                Duration.ofSeconds(3), 1_000, Duration.ofSeconds(3), 2, Duration.ofMinutes(5));
    }

    /**
     * The sizes of the unmeasured Concord run before the backlogs: a fifth of the single-row backlog, enough for
     * the JIT to compile capture's and apply's paths.
     */
    BenchSettings forJvmWarmUp() {
        return new BenchSettings(1, Math.max(1_000, singleRowTransactions / 5), batchTransactions,
                rowsPerBatchTransaction, updates, updatedRows, lagRate, lagDuration, lagWarmup, lagWriters,
                overheadClients, overheadDuration, hotRows, conflictDuration, conflictWritersPerDc, applyTimeout);
    }

    /** The same with the steady-lag scenario's writer at {@code transactionsPerSecond}. */
    BenchSettings withLagRate(int transactionsPerSecond) {
        return new BenchSettings(repetitions, singleRowTransactions, batchTransactions, rowsPerBatchTransaction,
                updates, updatedRows, transactionsPerSecond, lagDuration, lagWarmup, lagWriters, overheadClients,
                overheadDuration, hotRows, conflictDuration, conflictWritersPerDc, applyTimeout);
    }

    BenchSettings withRepetitions(int repetitions) {
        return new BenchSettings(repetitions, singleRowTransactions, batchTransactions, rowsPerBatchTransaction,
                updates, updatedRows, lagRate, lagDuration, lagWarmup, lagWriters, overheadClients, overheadDuration, hotRows,
                conflictDuration, conflictWritersPerDc, applyTimeout);
    }
}
