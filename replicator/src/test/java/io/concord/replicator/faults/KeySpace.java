package io.concord.replicator.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keys of one scenario, a range of its own so that scenarios never touch each other's rows: a few hot keys
 * per table that every DC writes, created before the load; race keys that every DC tries to create during the
 * load (insert/insert conflicts; a fresh few every {@value #RACE_WINDOW_MILLIS} ms) and that are never deleted;
 * and keys private to one DC (created, changed and deleted by that DC only).
 *
 * <p>Hot keys, once deleted, are not inserted again unless a scenario asks for it: a local insert of a key that
 * is absent here, racing an applied batch that leaves the key deleted, is a race of its own (issue 5; see
 * {@code BatchApplier}, "Rows absent here"), which {@code FaultSuiteIT}'s scenario of deleted hot keys inserted
 * again drives hard.
 *
 * <p>On {@code record_items} a hot key is deleted at most once in the whole run. Concord does not record a
 * delete/delete "conflict" (both sides agree), so two tombstones meeting would settle a concurrent pair without a
 * row in {@code concord.conflicts}; with a single delete per key that cannot happen, and the conflict check can
 * demand a row for every concurrent pair, exactly.
 */
final class KeySpace {

    private static final long SCENARIO_SPAN = 1_000_000;
    private static final long PRIVATE_SPAN = 100_000;
    private static final long RACE_WINDOW_MILLIS = 2_000;
    /** Keys of hostile events: inside the range, so the checks see that nothing of them reached any DC. */
    private static final long HOSTILE_OFFSET = 900_000;

    private final long base;
    private final int hot;
    private final int race;
    private final long createdNanos = System.nanoTime();
    private final Map<String, AtomicLong> nextPrivate = new HashMap<>();
    private final Map<String, List<Long>> livePrivate = new HashMap<>();
    private final Set<Long> recordDeletes = new HashSet<>();

    KeySpace(int scenario, int hotKeys) {
        this.base = scenario * SCENARIO_SPAN;
        this.hot = hotKeys;
        this.race = Math.max(2, hotKeys / 2);
        for (String dc : SuiteTable.DCS) {
            nextPrivate.put(dc, new AtomicLong(base + PRIVATE_SPAN * (SuiteTable.DCS.indexOf(dc) + 1)));
        }
    }

    boolean contains(long id) {
        return id >= base && id < base + SCENARIO_SPAN;
    }

    long from() {
        return base;
    }

    long to() {
        return base + SCENARIO_SPAN;
    }

    long hotKey(Random random) {
        return base + random.nextInt(hot);
    }

    List<Long> hotKeys() {
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < hot; i++) {
            keys.add(base + i);
        }
        return keys;
    }

    /** A key every DC may insert (and update), never deleted: one of the few of the current time window. */
    long raceKey(Random random) {
        long window = (System.nanoTime() - createdNanos) / 1_000_000 / RACE_WINDOW_MILLIS;
        return Math.min(base + PRIVATE_SPAN - 1, base + hot + window * race + random.nextInt(race));
    }

    /** Whether every DC writes the key (a hot or race key), as opposed to a key private to one DC. */
    boolean isShared(long id) {
        return id >= base && id < base + PRIVATE_SPAN;
    }

    /** A key of {@code dc} never used before. */
    long newPrivateKey(String dc) {
        return nextPrivate.get(dc).incrementAndGet();
    }

    /** A live private key of {@code dc} in {@code table}, or -1 if it has none. */
    synchronized long livePrivateKey(String dc, SuiteTable table, Random random) {
        List<Long> live = livePrivate.get(dc + "/" + table);
        return live == null || live.isEmpty() ? -1 : live.get(random.nextInt(live.size()));
    }

    synchronized void privateKeyCreated(String dc, SuiteTable table, long id) {
        livePrivate.computeIfAbsent(dc + "/" + table, k -> new ArrayList<>()).add(id);
    }

    synchronized void privateKeyDeleted(String dc, SuiteTable table, long id) {
        List<Long> live = livePrivate.get(dc + "/" + table);
        if (live != null) {
            live.remove(id);
        }
    }

    /** Claims the one delete a hot key of record_items may have; false if it was claimed before. */
    synchronized boolean claimRecordDelete(long id) {
        return recordDeletes.add(id);
    }

    /** Gives a claim back: the delete did not happen (no row, or the transaction failed before COMMIT). */
    synchronized void releaseRecordDelete(long id) {
        recordDeletes.remove(id);
    }

    /** The {@code n}-th key for hostile events. */
    long hostileKey(int n) {
        return base + HOSTILE_OFFSET + n;
    }
}
