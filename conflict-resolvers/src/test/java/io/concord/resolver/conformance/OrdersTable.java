package io.concord.resolver.conformance;

import io.concord.resolver.RowImage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The kit's default table, an order with a column for each merge strategy: {@code status}
 * (text; the example resolver ranks it), {@code qty} (counter), {@code tags} (array, union),
 * {@code note} (text, concat), {@code score} (max), {@code low} (min), {@code price} (numeric, lww).
 * Values are drawn from small sets so that concurrent writes often collide, and NULLs occur.
 */
public final class OrdersTable implements TestTable {

    /** Status values in rank order, lowest first. */
    public static final List<String> STATUSES = List.of("new", "paid", "shipped", "delivered");

    private static final List<String> TAGS = List.of("a", "b", "c", "d");
    private static final List<String> NOTES = List.of("x", "y", "call back", "fragile, keep dry");
    private static final List<String> COLUMNS = List.of("status", "qty", "tags", "note", "score", "low", "price");

    /** The {@code columns} option of a {@code merge} resolver using every strategy on this table. */
    public static Map<String, Object> mergeColumns() {
        return Map.of("qty", "counter", "tags", "union", "note", "concat", "score", "max", "low", "min");
    }

    @Override
    public RowImage insert(Random random) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        for (String column : COLUMNS) {
            row.put(column, value(column, random));
        }
        row.put("qty", (long) random.nextInt(20));
        return RowImage.of(row);
    }

    @Override
    public RowImage update(RowImage before, Random random) {
        RowImage after = before;
        int mask = 1 + random.nextInt((1 << COLUMNS.size()) - 1);
        for (int i = 0; i < COLUMNS.size(); i++) {
            if ((mask & (1 << i)) == 0) {
                continue;
            }
            String column = COLUMNS.get(i);
            if (column.equals("qty") && before.get("qty") instanceof Long qty) {
                after = after.with("qty", qty + delta(random));
            } else {
                after = after.with(column, value(column, random));
            }
        }
        return after;
    }

    @Override
    public String counterColumn() {
        return "qty";
    }

    private static long delta(Random random) {
        int delta = random.nextInt(10) - 5;
        return delta >= 0 ? delta + 1 : delta;
    }

    private static Object value(String column, Random random) {
        switch (column) {
            case "status":
                return STATUSES.get(random.nextInt(STATUSES.size()));
            case "qty":
                return (long) random.nextInt(20);
            case "tags":
                List<String> tags = new ArrayList<>();
                TAGS.forEach(tag -> {
                    if (random.nextBoolean()) {
                        tags.add(tag);
                    }
                });
                return tags;
            case "note":
                return random.nextInt(8) == 0 ? null : NOTES.get(random.nextInt(NOTES.size()));
            case "score":
            case "low":
                return random.nextInt(8) == 0 ? null : (long) random.nextInt(100);
            default:
                return BigDecimal.valueOf(random.nextInt(10_000), 2);
        }
    }
}
