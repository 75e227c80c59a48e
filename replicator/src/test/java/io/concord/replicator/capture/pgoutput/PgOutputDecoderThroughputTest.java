package io.concord.replicator.capture.pgoutput;

import static io.concord.replicator.capture.pgoutput.MessageBytes.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.types.BuiltinTypes;
import io.concord.replicator.types.TypeResolver;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Not an assertion of speed (machines differ): prints how many INSERT messages of a typical row the decoder
 * turns into messages, and into Datums, per second on one thread.
 */
class PgOutputDecoderThroughputTest {

    private static final int MESSAGES = 300_000;

    @Test
    void printsDecodingThroughput() {
        PgOutputDecoder decoder = new PgOutputDecoder(TypeResolver.builtinOnly());
        decoder.decode(message('R').int32(16384).string("public").string("orders").int8('d').int16(6)
                .int8(1).string("id").int32(BuiltinTypes.INT8.oid()).int32(-1)
                .int8(0).string("name").int32(BuiltinTypes.TEXT.oid()).int32(-1)
                .int8(0).string("amount").int32(BuiltinTypes.NUMERIC.oid()).int32(-1)
                .int8(0).string("at").int32(BuiltinTypes.TIMESTAMPTZ.oid()).int32(-1)
                .int8(0).string("flag").int32(BuiltinTypes.BOOL.oid()).int32(-1)
                .int8(0).string("score").int32(BuiltinTypes.FLOAT8.oid()).int32(-1)
                .build());
        ByteBuffer insert = message('I').int32(16384).int8('N')
                .tuple("123456", "name 123456", "154320.00", "2026-11-26 10:15:30.123456+00", "t", "17636.571428571428")
                .build();
        // Warm up (the JIT), then measure: decoding only, then decoding plus every column converted.
        long checksum = decodeOnly(decoder, insert) + withDatums(decoder, insert);
        long start = System.nanoTime();
        checksum += decodeOnly(decoder, insert);
        long decodeOnly = System.nanoTime() - start;
        start = System.nanoTime();
        checksum += withDatums(decoder, insert);
        long withDatums = System.nanoTime() - start;
        System.out.printf("pgoutput decoder: %.0f inserts/s decoded, %.0f inserts/s with 6 Datums each%n",
                MESSAGES * 1e9 / decodeOnly, MESSAGES * 1e9 / withDatums);
        assertThat(checksum).isEqualTo(MESSAGES * 6L * 4);
    }

    private static long decodeOnly(PgOutputDecoder decoder, ByteBuffer insert) {
        long checksum = 0;
        for (int i = 0; i < MESSAGES; i++) {
            checksum += ((Insert) decoder.decode(insert)).newTuple().size();
        }
        return checksum;
    }

    private static long withDatums(PgOutputDecoder decoder, ByteBuffer insert) {
        long checksum = 0;
        for (int i = 0; i < MESSAGES; i++) {
            TupleData row = ((Insert) decoder.decode(insert)).newTuple();
            for (int c = 0; c < row.size(); c++) {
                checksum += row.datum(c).getValue() == null ? 0 : 1;
            }
        }
        return checksum;
    }
}
