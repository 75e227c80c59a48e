package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.codec.EventCodec;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import io.concord.version.RowVersion;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The direct writer of stored states writes exactly the bytes Avro's writer gives for the same record. */
class RowStateWriterTest {

    private final RowStateWriter writer = new RowStateWriter();
    private final EventCodec avro = new EventCodec();

    @Test
    void everyStateOfConcurrentlyWrittenRowsIsWrittenAsAvroWritesItsRecord() {
        int states = 0;
        for (long seed = 0; seed < 40; seed++) {
            RandomRowStates rows = new RandomRowStates(seed);
            for (RowState state : rows.history(12)) {
                assertThat(writer.encode(state, rows.types())).as("seed %d, state %s", seed, state)
                        .isEqualTo(avro.encode(RowStateCodec.toRecord(state, rows.types())));
                states++;
            }
        }
        assertThat(states).isGreaterThan(400);
    }

    @Test
    void theUsualStateOfOneRowOfCommonTypesToo() throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put("id", 7L);
        values.put("k", 3);
        values.put("v", "text");
        values.put("ok", true);
        values.put("gone", null);
        VersionedRow row = VersionedRow.live(Operation.UPDATE, RowImage.of(values),
                RowVersion.parse("a:2,b:1@1700000000000000/a"));
        Map<String, String> types = Map.of("id", "int8", "k", "int4", "v", "text", "ok", "bool", "gone", "float8",
                "unused", "text");

        assertThat(writer.encode(RowState.of(row), types))
                .isEqualTo(avro.encode(RowStateCodec.toRecord(RowState.of(row), types)));
        assertThat(new RowStateCodec().decode(writer.encode(RowState.of(row), types)).state()).isEqualTo(RowState.of(row));
    }

    @Test
    void aColumnWithoutATypeOrAValueThatDoesNotFitItIsRefusedNamingTheColumn() {
        VersionedRow row = VersionedRow.live(Operation.INSERT, RowImage.of(Map.of("id", 7L, "k", 3)),
                RowVersion.parse("a:1@1700000000000000/a"));

        assertThatThrownBy(() -> writer.encode(RowState.of(row), Map.of("id", "int8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no PostgreSQL type known for column 'k'");
        assertThatThrownBy(() -> writer.encode(RowState.of(row), Map.of("id", "int8", "k", "int8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'k'");
    }

    /**
     * Prints what writing the state of one bench row ({@code items}: int8, int4, text, timestamptz) costs each way, in
     * one run, side by side: a benchmark's number, not a timed assertion. Checks only that both wrote the same bytes.
     */
    @Test
    void printsTheCostOfBothWritersSideBySide() {
        Map<String, Object> values = new HashMap<>();
        values.put("id", 1_000_000_001L);
        values.put("k", 42);
        values.put("v", "d6ea4b2a5ef12b4a1ffd1e8e36a17b0f");
        values.put("updated_at", JavaValues.toJava(new io.concord.event.Datum(
                new io.concord.event.TimestampTzValue(1_700_000_000_123_456L)), "timestamptz"));
        RowState state = RowState.of(VersionedRow.live(Operation.INSERT, RowImage.of(values),
                RowVersion.parse("a:12345@1700000000000000/a")));
        Map<String, String> types = Map.of("id", "int8", "k", "int4", "v", "text", "updated_at", "timestamptz");
        long[] nanos = new long[2];
        byte[][] last = new byte[2][];
        for (int round = 0; round < 4; round++) { // the first rounds warm the JIT up; the last one counts
            for (int way = 0; way < 2; way++) {
                long start = System.nanoTime();
                for (int i = 0; i < 20_000; i++) {
                    last[way] = way == 0 ? avro.encode(RowStateCodec.toRecord(state, types)) : writer.encode(state, types);
                }
                nanos[way] = System.nanoTime() - start;
            }
        }
        System.out.printf("row state encoding, one items row: Avro records and writer %.2f µs, direct writer %.2f µs"
                + " (%.1fx)%n", nanos[0] / 20_000 / 1e3, nanos[1] / 20_000 / 1e3, (double) nanos[0] / nanos[1]);
        assertThat(last[1]).isEqualTo(last[0]);
    }
}
