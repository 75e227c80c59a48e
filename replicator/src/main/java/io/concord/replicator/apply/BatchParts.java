package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.replicator.store.RowKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a batch into parts that several sessions can apply side by side ({@code apply.sessions}): each part whole
 * source transactions, consecutive in topic order, about equal in size, and no row in two parts. Parts commit in
 * order, so a row's changes must all be in one: a later part that read or locked a row an earlier, uncommitted
 * part writes would decide on a state it never saw. Where a row's transactions fall into two parts, those parts
 * and all between them become one; a backlog of updates to random rows therefore often stays one part.
 */
final class BatchParts {

    private BatchParts() {
    }

    /**
     * The parts of {@code batch}: at most {@code maxParts}, each at least {@code minEvents} events where the batch
     * is cut at all; the batch itself when it is too small, is one transaction, or its rows do not allow a cut.
     */
    static List<List<BatchApplier.RemoteEvent>> of(List<BatchApplier.RemoteEvent> batch, int maxParts, int minEvents) {
        int parts = Math.min(maxParts, batch.size() / Math.max(1, minEvents));
        if (parts < 2) {
            return List.of(batch);
        }
        List<List<BatchApplier.RemoteEvent>> transactions = TransactionBuffer.transactions(batch);
        if (transactions.size() < 2) {
            return List.of(batch);
        }
        List<int[]> ranges = cut(transactions, batch.size(), parts);
        try {
            ranges = mergeSharedRows(batch, ranges);
        } catch (IllegalArgumentException e) {
            return List.of(batch); // an event with no key: apply makes it a dead letter; nothing to gain here
        }
        List<List<BatchApplier.RemoteEvent>> result = new ArrayList<>(ranges.size());
        for (int[] range : ranges) {
            result.add(batch.subList(range[0], range[1]));
        }
        return result;
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

    /** Joins every run of ranges from the first to the last that holds changes of one row. */
    private static List<int[]> mergeSharedRows(List<BatchApplier.RemoteEvent> batch, List<int[]> ranges) {
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
        return merged;
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
