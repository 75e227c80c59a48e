package io.concord.replicator.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.Datum;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: for random values of every mapped type, Datum -> text -> Datum gives the same Datum and writing it
 * again gives the same text (so text -> Datum -> text is exact on every text the writer produces). That the
 * writer produces PostgreSQL's own text is checked against a real server in {@code PgTextCodecIT}.
 */
class PgTextCodecRoundTripTest {

    private static final int TRIES = 1000;

    @TestFactory
    List<DynamicTest> everyMappedTypeRoundTrips() {
        List<PgType> types = new ArrayList<>(RandomDatums.SCALARS);
        types.addAll(List.of(BuiltinTypes.JSONB, BuiltinTypes.BPCHAR, BuiltinTypes.NAME, BuiltinTypes.CHAR,
                RandomDatums.MOOD, PgType.domain(16400, "positive", BuiltinTypes.INT8),
                PgType.scalar(869, "inet", ValueKind.OTHER)));
        List<DynamicTest> tests = new ArrayList<>();
        for (PgType type : types) {
            tests.add(DynamicTest.dynamicTest(type.name(), () -> roundTrips(type, type.oid())));
        }
        tests.add(DynamicTest.dynamicTest("arrays", () -> {
            RandomDatums types2 = new RandomDatums(7);
            for (int i = 0; i < 300; i++) {
                roundTrips(types2.randomArrayType(), 1000 + i);
            }
        }));
        return tests;
    }

    private static void roundTrips(PgType type, long seed) {
        RandomDatums random = new RandomDatums(seed);
        for (int i = 0; i < TRIES; i++) {
            Datum datum = random.next(type);
            String text = PgTextCodec.encode(datum);
            Datum read = PgTextCodec.decode(type, text);
            assertThat(read).as("%s read back from '%s'", type, text).isEqualTo(datum);
            assertThat(PgTextCodec.encode(read)).isEqualTo(text);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertThat(PgTextCodec.decode(type, utf8, 0, utf8.length)).isEqualTo(datum);
        }
    }
}
