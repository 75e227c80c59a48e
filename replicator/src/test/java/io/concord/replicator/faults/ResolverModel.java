package io.concord.replicator.faults;

import java.util.Comparator;
import java.util.List;

/**
 * What a row must end as once every DC has every write, computed from the writes alone, the way the table's
 * resolver promises, and independently of Concord's code:
 * <ul>
 *   <li>the surviving versions are the maximal writes (those no other write has seen); the row's version is the
 *       pointwise maximum of all vectors with the latest timestamp among the survivors;</li>
 *   <li>{@code lww}, {@code record}: the survivor with the largest {@code (hlc, dc)} is the row;</li>
 *   <li>{@code priority} (order a, b, c): survivors are settled two at a time in {@code (hlc, dc)} order, as
 *       Concord documents it; the higher-ranked DC's row wins, except where one side deleted: there, and between
 *       writes of one rank, the later wins;</li>
 *   <li>{@code merge}: the note is the latest survivor's (every write sets it), the counter the sum of every
 *       delta ever committed.</li>
 * </ul>
 */
final class ResolverModel {

    /** The row as it must end in every DC: present or deleted, its values, and its version. */
    record Expected(boolean present, Snapshot.Row row, Version version) {
    }

    private ResolverModel() {
    }

    static Expected expected(SuiteTable table, List<RowHistories.Versioned> writes) {
        List<RowHistories.Versioned> survivors = writes.stream()
                .filter(w -> writes.stream().noneMatch(other -> other != w
                        && other.version().compare(w.version()) == Version.Order.AFTER))
                .sorted(Comparator.comparing(RowHistories.Versioned::version, Version.TIMESTAMP))
                .toList();
        RowHistories.Versioned winner = table == SuiteTable.PRIORITY ? byPriority(survivors)
                : survivors.get(survivors.size() - 1);
        Version all = Version.merge(writes.stream().map(RowHistories.Versioned::version).toList());
        Version latest = survivors.get(survivors.size() - 1).version();
        Version version = new Version(all.vector(), latest.hlc(), latest.dc());
        boolean present = winner.write().op() != Write.Op.DELETE;
        if (!present) {
            return new Expected(false, null, version);
        }
        if (table.isCounter()) {
            long sum = writes.stream().mapToLong(w -> w.write().number()).sum();
            return new Expected(true, new Snapshot.Row(winner.write().text(), sum), version);
        }
        return new Expected(true, new Snapshot.Row(winner.write().text(), winner.write().number()), version);
    }

    /** The fold over the survivors in timestamp order; each next one is the later of the pair. */
    private static RowHistories.Versioned byPriority(List<RowHistories.Versioned> survivors) {
        RowHistories.Versioned kept = survivors.get(0);
        for (RowHistories.Versioned next : survivors.subList(1, survivors.size())) {
            boolean deletes = kept.write().op() == Write.Op.DELETE || next.write().op() == Write.Op.DELETE;
            int keptRank = SuiteTable.DCS.indexOf(kept.version().dc());
            int nextRank = SuiteTable.DCS.indexOf(next.version().dc());
            if (deletes || nextRank <= keptRank) {
                kept = next;
            }
        }
        return kept;
    }
}
