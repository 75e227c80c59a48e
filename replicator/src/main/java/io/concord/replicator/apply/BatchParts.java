package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.replicator.store.RowKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts a batch into parts that several sessions can apply side by side ({@code apply.sessions}): each part whole
 * source transactions, consecutive in topic order, about equal in size. Parts commit in order, so a later part must
 * not decide a row an earlier, uncommitted part writes: it would decide on a state it never saw.
 *
 * <p>Where rows may be shared, a later part keeps them and names them ({@link Part#sharedWithEarlier}): its session
 * settles its other rows at once and those only once the part before it committed ({@link
 * BatchApplier#applyAfter}). A backlog of updates to random rows, where nearly every cut falls between two changes
 * of some row, is thus still applied by every session, each waiting only for the few rows it shares. Where this DC
 * forwards what it applies (star hub, ring), a part must settle all its rows in one round (one states message per
 * transaction, see {@code AppliedBatchMessage}): there the parts a row's changes fall into, and all between them,
 * become one, and a backlog of updates to random rows often stays one part.
 */
final class BatchParts {

    private BatchParts() {
    }

    /**
     * One part: its events, and the rows among them that an earlier part of the batch changes too (always empty for
     * the first part, and where rows may not be shared).
     */
    record Part(List<BatchApplier.RemoteEvent> events, Set<RowKey> sharedWithEarlier) {
    }

    /**
     * The parts of {@code batch}: at most {@code maxParts}, each at least {@code minEvents} events where the batch
     * is cut at all; the batch itself when it is too small, is one transaction, or its rows do not allow a cut.
     *
     * @param shareRows whether a later part may hold rows an earlier one changes (see the type's doc)
     */
    static List<Part> of(List<BatchApplier.RemoteEvent> batch, int maxParts, int minEvents, boolean shareRows) {
        List<Part> whole = List.of(new Part(batch, Set.of()));
        int parts = Math.min(maxParts, batch.size() / Math.max(1, minEvents));
        if (parts < 2) {
            return whole;
        }
        List<List<BatchApplier.RemoteEvent>> transactions = TransactionBuffer.transactions(batch);
        if (transactions.size() < 2) {
            return whole;
        }
        List<int[]> ranges = cut(transactions, batch.size(), parts);
        try {
            return shareRows ? withSharedRows(batch, ranges) : mergeSharedRows(batch, ranges);
        } catch (IllegalArgumentException e) {
            return whole; // an event with no key: apply makes it a dead letter; nothing to gain here
        }
    }

    /** Index ranges [from, to) of about {@code size / parts} events each, cut between transactions. */
    private static List<int[]> cut(List<List<BatchApplier.RemoteEvent>> transactions, int size, int parts) {
        int target = (size + parts - 1) / parts;
        List<int[]> ranges = new ArrayList<>(parts);
        int from = 0;
        int end = 0;
        for (List<BatchApplier.RemoteEvent> transaction : transactions) {
            end += transaction.size();
            if (end - from >= target && ranges.size() < parts - 1) {
                ranges.add(new int[] {from, end});
                from = end;
            }
        }
        if (from < end) {
            ranges.add(new int[] {from, end});
        }
        return ranges;
    }

    /** The ranges as parts, each naming the rows of it that earlier ones change too. */
    private static List<Part> withSharedRows(List<BatchApplier.RemoteEvent> batch, List<int[]> ranges) {
        List<Part> parts = new ArrayList<>(ranges.size());
        Set<RowKey> earlier = new HashSet<>(batch.size() * 2);
        for (int[] range : ranges) {
            Set<RowKey> shared = new HashSet<>();
            List<RowKey> keys = new ArrayList<>(range[1] - range[0]);
            for (int i = range[0]; i < range[1]; i++) {
                ChangeEvent event = batch.get(i).event();
                RowKey key = RowKey.of(event.getTable(), event.getKey());
                keys.add(key);
                if (earlier.contains(key)) {
                    shared.add(key);
                }
            }
            earlier.addAll(keys);
            parts.add(new Part(batch.subList(range[0], range[1]), shared));
        }
        return parts;
    }

    /** Joins every run of ranges from the first to the last that holds changes of one row. */
    private static List<Part> mergeSharedRows(List<BatchApplier.RemoteEvent> batch, List<int[]> ranges) {
        List<int[]> merged = new ArrayList<>(ranges.size());
        Map<RowKey, Integer> seenAt = new HashMap<>(batch.size() * 2); // a row -> the index of an event of it
        for (int[] range : ranges) {
            int earliest = merged.size();
            for (int i = range[0]; i < range[1]; i++) {
                ChangeEvent event = batch.get(i).event();
                Integer before = seenAt.putIfAbsent(RowKey.of(event.getTable(), event.getKey()), i);
                if (before != null && before < range[0]) {
                    earliest = Math.min(earliest, partHolding(merged, before));
                }
            }
            if (earliest < merged.size()) {
                int from = merged.get(earliest)[0];
                merged.subList(earliest, merged.size()).clear();
                merged.add(new int[] {from, range[1]});
            } else {
                merged.add(range);
            }
        }
        return merged.stream().map(range -> new Part(batch.subList(range[0], range[1]), Set.<RowKey>of())).toList();
    }

    private static int partHolding(List<int[]> parts, int index) {
        for (int part = 0; part < parts.size(); part++) {
            if (index < parts.get(part)[1]) {
                return part;
            }
        }
        throw new IllegalStateException("event " + index + " lies in no earlier part");
    }
}
