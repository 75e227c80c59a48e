package io.concord.replicator.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A scenario's committed writes grouped by row, each with the version capture published it with; what the
 * checks reason about. Writes not found on their DC's topic are kept aside: capture lost them.
 */
final class RowHistories {

    /** A committed write and its published version. */
    record Versioned(Write write, Version version) {
        @Override
        public String toString() {
            return write + " @ " + version;
        }
    }

    /** A row of a table. */
    record Row(SuiteTable table, long id) {
        @Override
        public String toString() {
            return table.tableName() + " id " + id;
        }
    }

    private final Map<Row, List<Versioned>> byRow;
    private final List<Write> unpublished;
    private final Set<Long> undecided;

    private RowHistories(Map<Row, List<Versioned>> byRow, List<Write> unpublished, Set<Long> undecided) {
        this.byRow = byRow;
        this.unpublished = unpublished;
        this.undecided = undecided;
    }

    static RowHistories of(History history, PublishedVersions versions, KeySpace keys) {
        List<Versioned> published = new ArrayList<>();
        List<Write> unpublished = new ArrayList<>();
        for (Write write : history.committed(keys)) {
            PublishedVersions.Published found = versions.of(write);
            if (found == null) {
                unpublished.add(write);
            } else {
                published.add(new Versioned(write, found.version()));
            }
        }
        Set<Long> undecided = history.inDoubt(keys).stream().map(Write::id).collect(Collectors.toSet());
        return of(published, unpublished, undecided);
    }

    /** From writes and their versions directly. */
    static RowHistories of(List<Versioned> published, List<Write> unpublished, Set<Long> undecided) {
        Map<Row, List<Versioned>> byRow = new TreeMap<>(Comparator.comparing((Row r) -> r.table().ordinal())
                .thenComparingLong(Row::id));
        for (Versioned write : published) {
            byRow.computeIfAbsent(new Row(write.write().table(), write.write().id()), r -> new ArrayList<>()).add(write);
        }
        return new RowHistories(byRow, List.copyOf(unpublished), Set.copyOf(undecided));
    }

    Map<Row, List<Versioned>> rows() {
        return byRow;
    }

    Map<Row, List<Versioned>> rows(SuiteTable table) {
        Map<Row, List<Versioned>> rows = new LinkedHashMap<>();
        byRow.forEach((row, writes) -> {
            if (row.table() == table) {
                rows.put(row, writes);
            }
        });
        return rows;
    }

    /** Committed writes that never reached their DC's topic. */
    List<Write> unpublished() {
        return unpublished;
    }

    /** Keys with a write whose commit is still in doubt: what they end as cannot be predicted. */
    boolean undecided(long id) {
        return undecided.contains(id);
    }

    int writes() {
        return byRow.values().stream().mapToInt(List::size).sum();
    }

    /** The writes of a row, one per line, for a violation's message (the first {@code max}). */
    static String describe(List<Versioned> writes, int max) {
        StringBuilder text = new StringBuilder();
        writes.stream().sorted(Comparator.comparing(Versioned::version, Version.TIMESTAMP)).limit(max)
                .forEach(w -> text.append("\n      ").append(w));
        if (writes.size() > max) {
            text.append("\n      ... ").append(writes.size() - max).append(" more");
        }
        return text.toString();
    }
}
