package io.concord.replicator.store;

import io.concord.replicator.types.BuiltinTypes;
import io.concord.replicator.types.PgType;
import io.concord.resolver.ColumnValues;
import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.builtin.MergeResolver;
import io.concord.resolver.builtin.MergeStrategy;
import io.concord.resolver.state.LocalChange;
import io.concord.resolver.state.Reconciler;
import io.concord.resolver.state.RowState;
import io.concord.version.DcId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Row states as replicas really hold them: three DCs write one row of a {@code merge} table concurrently
 * (inserts, updates, deletes) and deliver their writes to each other in random order, through the real
 * {@link Reconciler}. The states along the way have several siblings, tombstones, counters with
 * increments and decrements from several DCs, and registers with several entries. Every column type of
 * {@link RandomValues} appears. Seeded, so a failure reproduces.
 */
final class RandomRowStates {

    static final String TABLE = "public.things";
    private static final List<DcId> DCS = List.of(DcId.of("a"), DcId.of("b"), DcId.of("c"));

    private final Random random;
    private final RandomValues values;
    private final Map<String, PgType> columns = new LinkedHashMap<>();
    private final Reconciler reconciler = new Reconciler(TABLE, ConfiguredResolver.of("merge", new MergeResolver(
            Map.of("qty", MergeStrategy.COUNTER, "tags", MergeStrategy.UNION, "note", MergeStrategy.CONCAT,
                    "score", MergeStrategy.MAX), ", ")));
    private long micros = 1_700_000_000_000_000L;

    RandomRowStates(long seed) {
        this.random = new Random(seed);
        this.values = new RandomValues(seed);
        columns.put("id", BuiltinTypes.INT8);
        columns.put("qty", BuiltinTypes.INT8);
        columns.put("tags", BuiltinTypes.arrayOf(BuiltinTypes.TEXT));
        columns.put("note", BuiltinTypes.TEXT);
        columns.put("score", BuiltinTypes.NUMERIC);
        for (int i = 0; i < RandomValues.TYPES.size(); i++) {
            columns.put("c" + i, RandomValues.TYPES.get(i));
        }
    }

    /** Column name → PostgreSQL type name. */
    Map<String, String> types() {
        Map<String, String> types = new TreeMap<>();
        columns.forEach((name, type) -> types.put(name, type.name()));
        return types;
    }

    /** Every state one of the replicas passes through while {@code writes} writes are made and delivered. */
    List<RowState> history(int writes) {
        Map<DcId, RowState> replicas = new TreeMap<>();
        DCS.forEach(dc -> replicas.put(dc, RowState.empty()));
        List<Delivery> inFlight = new ArrayList<>();
        List<RowState> seen = new ArrayList<>();
        int written = 0;
        while (written < writes || !inFlight.isEmpty()) {
            if (written < writes && (inFlight.isEmpty() || random.nextInt(3) == 0)) {
                DcId dc = DCS.get(random.nextInt(DCS.size()));
                VersionedRow write = reconciler.write(replicas.get(dc), change(dc, replicas.get(dc)));
                replicas.put(dc, RowState.of(write));
                seen.add(replicas.get(dc));
                DCS.stream().filter(other -> !other.equals(dc)).forEach(other -> inFlight.add(new Delivery(other, write)));
                written++;
            } else {
                Delivery delivery = inFlight.remove(random.nextInt(inFlight.size()));
                RowState state = reconciler.receive(replicas.get(delivery.to()), RowImage.of(Map.of("id", 42L)),
                        delivery.write()).state();
                replicas.put(delivery.to(), state);
                seen.add(state);
            }
        }
        return seen;
    }

    /** A write on its way to a replica. */
    private record Delivery(DcId to, VersionedRow write) {
    }

    private LocalChange change(DcId dc, RowState state) {
        micros += 1 + random.nextInt(1000);
        if (!state.exists()) {
            return LocalChange.insert(dc, micros, row(null));
        }
        if (random.nextInt(5) == 0) {
            return LocalChange.delete(dc, micros);
        }
        RowImage before = state.current().row();
        RowImage after = row(before);
        if (random.nextBoolean()) {
            return LocalChange.update(dc, micros, random.nextBoolean() ? before : null, after);
        }
        // As capture sends it for REPLICA IDENTITY FULL: the before-image and the columns that changed.
        Set<String> changed = new TreeSet<>();
        after.columns().stream().filter(name -> !ColumnValues.same(before.get(name), after.get(name))).forEach(changed::add);
        return new LocalChange(dc, micros, Operation.UPDATE, after, before, changed);
    }

    /** A new row, or {@code previous} with some columns changed (the counter by a delta). */
    private RowImage row(RowImage previous) {
        Map<String, Object> row = new LinkedHashMap<>();
        columns.forEach((name, type) -> {
            if (previous != null && random.nextInt(3) > 0) {
                row.put(name, previous.get(name));
                return;
            }
            row.put(name, switch (name) {
                case "id" -> 42L;
                case "qty" -> (previous == null ? 0L : (Long) previous.get("qty")) + random.nextInt(21) - 10;
                case "tags" -> random.nextInt(4) == 0 ? List.of() : List.of("t" + random.nextInt(5), "u" + random.nextInt(5));
                case "note" -> random.nextInt(5) == 0 ? null : "note " + random.nextInt(100);
                case "score" -> random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextInt(10_000), 2);
                default -> JavaValues.toJava(values.next(type), type.name());
            });
        });
        return RowImage.of(Collections.unmodifiableMap(row));
    }
}
