package io.concord.replicator.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Picks the next transaction of one writer: one or two row writes, on random tables, mostly on the hot and race
 * keys every DC writes (so concurrent conflicting writes happen in every run), the rest on keys private to this
 * DC ({@link KeySpace}). Seeded: a writer's sequence of choices is the same in every run with the same seed.
 */
final class Planner {

    /** One row write to make. */
    record Planned(SuiteTable table, long id, Write.Op op, String text, long number, boolean newPrivateKey,
                   boolean claimedDelete) {
    }

    private static final double SHARED_SHARE = 0.6;
    private static final double RACE_SHARE = 0.3;
    private static final double TWO_ROW_SHARE = 0.2;

    private final String dc;
    private final KeySpace keys;
    private final History history;
    private final Random random;
    private final boolean reinsertDeleted;

    /** @param reinsertDeleted whether hot keys are inserted again after a delete (a scenario of its own) */
    Planner(String dc, KeySpace keys, History history, Random random, boolean reinsertDeleted) {
        this.dc = dc;
        this.keys = keys;
        this.history = history;
        this.random = random;
        this.reinsertDeleted = reinsertDeleted;
    }

    /** The writes of the next transaction, distinct rows in key order (so two writers of a DC never deadlock). */
    List<Planned> next() {
        int rows = random.nextDouble() < TWO_ROW_SHARE ? 2 : 1;
        List<Planned> planned = new ArrayList<>();
        while (planned.size() < rows) {
            Planned write = one(SuiteTable.values()[random.nextInt(SuiteTable.values().length)]);
            if (planned.stream().anyMatch(p -> p.table() == write.table() && p.id() == write.id())) {
                if (write.claimedDelete()) {
                    keys.releaseRecordDelete(write.id());
                }
                continue;
            }
            planned.add(write);
        }
        planned.sort(Comparator.comparing((Planned p) -> p.table().tableName()).thenComparingLong(Planned::id));
        return planned;
    }

    private Planned one(SuiteTable table) {
        double roll = random.nextDouble();
        if (random.nextDouble() < SHARED_SHARE) {
            if (table.isCounter()) {
                // hot counters are seeded and never deleted: only deltas
                return write(table, keys.hotKey(random), Write.Op.UPDATE, false, false);
            }
            if (random.nextDouble() < RACE_SHARE) {
                return write(table, keys.raceKey(random), roll < 0.6 ? Write.Op.INSERT : Write.Op.UPDATE, false, false);
            }
            long id = keys.hotKey(random);
            if (reinsertDeleted && roll < 0.35) {
                // deleted hot keys come back often: the race that scenario is about
                return write(table, id, Write.Op.INSERT, false, false);
            }
            if (roll < (reinsertDeleted ? 0.65 : 0.8) || table == SuiteTable.RECORD && !keys.claimRecordDelete(id)) {
                return write(table, id, Write.Op.UPDATE, false, false);
            }
            return write(table, id, Write.Op.DELETE, false, table == SuiteTable.RECORD);
        }
        long id = keys.livePrivateKey(dc, table, random);
        if (id < 0 || roll < 0.3) {
            return write(table, keys.newPrivateKey(dc), Write.Op.INSERT, true, false);
        }
        return write(table, id, random.nextDouble() < 0.75 ? Write.Op.UPDATE : Write.Op.DELETE, false, false);
    }

    private Planned write(SuiteTable table, long id, Write.Op op, boolean newKey, boolean claimedDelete) {
        if (op == Write.Op.DELETE) {
            return new Planned(table, id, op, null, 0, newKey, claimedDelete);
        }
        long number = table.isCounter()
                ? (op == Write.Op.INSERT ? random.nextInt(100) : random.nextInt(16) - 5) // counter: initial value, or delta
                : random.nextInt(1_000_000);
        return new Planned(table, id, op, history.nextTag(dc), number, newKey, claimedDelete);
    }
}
