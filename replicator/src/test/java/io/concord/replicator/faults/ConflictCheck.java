package io.concord.replicator.faults;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every conflict is accounted for in {@code concord.conflicts}, exactly.
 *
 * <p><b>Concurrent</b> means two writes of one row whose version vectors are incomparable: neither had seen the
 * other. A DC records a conflict when a remote write arrives that is concurrent with the row's state there (the
 * join of every write the DC has taken in); the row holds the two versions. Hence the rules checked:
 * <ul>
 *   <li><b>Sound</b>: in every row the local and remote versions are concurrent; the remote version is exactly one
 *       write of the history; the local version is exactly the join of the writes it covers (a state that
 *       existed), with the latest of their timestamps; a remote delete shows as a missing remote row.</li>
 *   <li><b>Complete</b>: for every pair of concurrent writes w1, w2, some DC recorded a row that separates them:
 *       one side has seen w1 and not w2, the other w2 and not w1. Proof that one must exist: take the first
 *       moment any DC's state came to cover both; it did so by taking in a remote write concurrent with its state,
 *       one of them covering w1 only and the other w2 only, and that is a recorded conflict unless both rows were
 *       deletions, which the workload rules out on this table ({@link KeySpace}).</li>
 *   <li><b>Same id everywhere</b>: rows with one id name the same row and the same pair of versions in every DC
 *       that detected it, and one pair of versions has one id.</li>
 *   <li>Tables whose resolver does not record conflicts have no rows.</li>
 * </ul>
 */
final class ConflictCheck {

    private static final int MAX_REPORTED = 15;

    /** Counts for the report. */
    record Stats(int distinct, Map<String, Integer> rowsPerDc, Map<String, Integer> byType, int concurrentPairs) {
    }

    /** The violations and counts. */
    record Outcome(List<String> violations, Stats stats) {
    }

    private ConflictCheck() {
    }

    static Outcome check(RowHistories histories, Map<String, List<ConflictRows.Conflict>> byDc) {
        List<String> violations = new ArrayList<>();
        List<ConflictRows.Conflict> all = byDc.values().stream().flatMap(Collection::stream).toList();
        all.stream().filter(c -> c.table() != SuiteTable.RECORD).limit(MAX_REPORTED).forEach(c -> violations.add(
                "a conflict row for " + c.table().tableName() + " id " + c.key() + ", whose resolver does not record: "
                        + c));
        sameIds(all, violations);
        Map<Long, List<ConflictRows.Conflict>> byKey = all.stream().filter(c -> c.table() == SuiteTable.RECORD)
                .collect(Collectors.groupingBy(ConflictRows.Conflict::key, TreeMap::new, Collectors.toList()));
        int pairs = 0;
        for (Map.Entry<RowHistories.Row, List<RowHistories.Versioned>> row : histories.rows(SuiteTable.RECORD)
                .entrySet()) {
            List<ConflictRows.Conflict> conflicts = byKey.getOrDefault(row.getKey().id(), List.of());
            pairs += checkRow(row.getKey(), row.getValue(), conflicts, violations);
        }
        byKey.keySet().stream().filter(id -> !histories.rows().containsKey(new RowHistories.Row(SuiteTable.RECORD, id)))
                .limit(MAX_REPORTED).forEach(id -> violations.add("conflict rows for record_items id " + id
                        + ", which has no committed write: " + byKey.get(id)));
        Map<String, Integer> perDc = new TreeMap<>();
        byDc.forEach((dc, rows) -> perDc.put(dc, rows.size()));
        Map<String, Integer> byType = new TreeMap<>();
        all.stream().collect(Collectors.toMap(ConflictRows.Conflict::id, c -> c, (x, y) -> x)).values()
                .forEach(c -> byType.merge(c.type(), 1, Integer::sum));
        int distinct = (int) all.stream().map(ConflictRows.Conflict::id).distinct().count();
        List<String> reported = violations.size() > MAX_REPORTED * 3 ? violations.subList(0, MAX_REPORTED * 3)
                : violations;
        return new Outcome(reported, new Stats(distinct, perDc, byType, pairs));
    }

    /** Checks one row's conflict rows; returns how many concurrent pairs of writes it has. */
    private static int checkRow(RowHistories.Row row, List<RowHistories.Versioned> writes,
            List<ConflictRows.Conflict> conflicts, List<String> violations) {
        int n = writes.size();
        BitSet[] separated = new BitSet[n];
        for (int i = 0; i < n; i++) {
            separated[i] = new BitSet(n);
        }
        for (ConflictRows.Conflict conflict : conflicts) {
            String problem = unsound(conflict, writes);
            if (problem != null) {
                violations.add(row + ": " + problem + ": " + conflict + "; its writes:" + RowHistories.describe(writes, 30));
            }
            BitSet local = covered(conflict.local(), writes);
            BitSet remote = covered(conflict.remote(), writes);
            BitSet onlyLocal = (BitSet) local.clone();
            onlyLocal.andNot(remote);
            BitSet onlyRemote = (BitSet) remote.clone();
            onlyRemote.andNot(local);
            for (int i = onlyLocal.nextSetBit(0); i >= 0; i = onlyLocal.nextSetBit(i + 1)) {
                separated[i].or(onlyRemote);
                for (int j = onlyRemote.nextSetBit(0); j >= 0; j = onlyRemote.nextSetBit(j + 1)) {
                    separated[j].set(i);
                }
            }
        }
        int pairs = 0;
        int missing = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (writes.get(i).version().compare(writes.get(j).version()) != Version.Order.CONCURRENT) {
                    continue;
                }
                pairs++;
                if (!separated[i].get(j) && missing++ < 5) {
                    violations.add(row + ": concurrent writes with no conflict row that separates them: "
                            + writes.get(i) + " and " + writes.get(j) + "; the row's conflicts: " + conflicts
                            + "; its writes:" + RowHistories.describe(writes, 30));
                }
            }
        }
        return pairs;
    }

    private static String unsound(ConflictRows.Conflict conflict, List<RowHistories.Versioned> writes) {
        if (conflict.local().compare(conflict.remote()) != Version.Order.CONCURRENT) {
            return "the versions are causally ordered (" + conflict.local().compare(conflict.remote()) + "), not concurrent";
        }
        RowHistories.Versioned remote = writes.stream().filter(w -> w.version().equals(conflict.remote())).findFirst()
                .orElse(null);
        if (remote == null) {
            return "the remote version is no write of the history";
        }
        if (conflict.remoteDeleted() != (remote.write().op() == Write.Op.DELETE)) {
            return "the remote row is " + (conflict.remoteDeleted() ? "missing" : "present") + " but the write was "
                    + remote.write().op();
        }
        List<Version> seen = writes.stream().map(RowHistories.Versioned::version).filter(conflict.local()::covers)
                .toList();
        if (seen.isEmpty() || !Version.merge(seen).equals(conflict.local())) {
            return "the local version is not the join of the writes it covers (" + (seen.isEmpty() ? "none"
                    : Version.merge(seen)) + ")";
        }
        return null;
    }

    private static BitSet covered(Version version, List<RowHistories.Versioned> writes) {
        BitSet bits = new BitSet(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            if (version.covers(writes.get(i).version())) {
                bits.set(i);
            }
        }
        return bits;
    }

    /** One id, one row and pair of versions, in every DC; one pair, one id. */
    private static void sameIds(List<ConflictRows.Conflict> all, List<String> violations) {
        Map<String, Set<String>> pairsOfId = new HashMap<>();
        Map<String, Set<String>> idsOfPair = new HashMap<>();
        for (ConflictRows.Conflict c : all) {
            String a = c.local().toString();
            String b = c.remote().toString();
            String pair = c.table().tableName() + " id " + c.key() + " {" + (a.compareTo(b) < 0 ? a + " | " + b
                    : b + " | " + a) + "}";
            pairsOfId.computeIfAbsent(c.id(), k -> new TreeSet<>()).add(pair);
            idsOfPair.computeIfAbsent(pair, k -> new TreeSet<>()).add(c.id());
        }
        pairsOfId.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(MAX_REPORTED).forEach(e ->
                violations.add("conflict id " + e.getKey() + " names different rows or versions: " + e.getValue()));
        idsOfPair.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(MAX_REPORTED).forEach(e ->
                violations.add("one conflict has different ids in different DCs: " + e.getKey() + " " + e.getValue()));
    }
}
