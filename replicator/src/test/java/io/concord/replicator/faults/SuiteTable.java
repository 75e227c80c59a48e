package io.concord.replicator.faults;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The suite's four tables, one per built-in resolver. Each has a text column and a number column: the
 * application writes a unique tag into the text column of every row it writes, so a row's value names the
 * write that put it there. In {@code merge_items} the number is a counter the application only ever changes
 * by deltas, so its final value must be the sum of them all.
 */
enum SuiteTable {

    LWW("lww_items", "val", "n", "  - name: lww_items\n"),
    PRIORITY("priority_items", "val", "n", "  - name: priority_items\n    resolver: {name: priority, order: [a, b, c]}\n"),
    MERGE("merge_items", "note", "counter",
            "  - name: merge_items\n    resolver: {name: merge, columns: {counter: counter, note: lww}}\n"),
    RECORD("record_items", "val", "n", "  - name: record_items\n    resolver: record\n");

    /** The DCs of the suite, highest priority first (the order of the priority table). */
    static final List<String> DCS = List.of("a", "b", "c");

    private final String name;
    private final String text;
    private final String number;
    private final String yaml;

    SuiteTable(String name, String text, String number, String yaml) {
        this.name = name;
        this.text = text;
        this.number = number;
        this.yaml = yaml;
    }

    String tableName() {
        return name;
    }

    /** {@code schema.table}, as Concord names it in events, row_versions and conflicts. */
    String qualified() {
        return "public." + name;
    }

    String textColumn() {
        return text;
    }

    String numberColumn() {
        return number;
    }

    boolean isCounter() {
        return this == MERGE;
    }

    /** The DDL; varchar(200) as a real schema would have it, which also lets an oversized value be refused. */
    String ddl() {
        String ddl = "CREATE TABLE " + name + " (id int8 PRIMARY KEY, " + text + " varchar(200) NOT NULL, " + number
                + " int8 NOT NULL)";
        // The counter merges from before-images (concord run installs without --set-replica-identity).
        return isCounter() ? ddl + "; ALTER TABLE " + name + " REPLICA IDENTITY FULL" : ddl;
    }

    /** The {@code tables:} block of concord.yaml for all four. */
    static String yaml() {
        return Arrays.stream(values()).map(t -> t.yaml).collect(Collectors.joining());
    }

    static SuiteTable ofQualified(String qualified) {
        for (SuiteTable table : values()) {
            if (table.qualified().equals(qualified)) {
                return table;
            }
        }
        return null;
    }
}
