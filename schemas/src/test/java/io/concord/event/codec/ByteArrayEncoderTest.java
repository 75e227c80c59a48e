package io.concord.event.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The array encoder writes every primitive as Avro's own encoder does, growing as it goes. */
class ByteArrayEncoderTest {

    @Test
    void everyPrimitiveAtItsEdgesIsWrittenAsAvroWritesIt() throws Exception {
        byte[] header = {(byte) 0xC3, 0x01};
        ByteArrayEncoder ours = new ByteArrayEncoder(header, 4); // small: it must grow many times
        ByteArrayOutputStream avroBytes = new ByteArrayOutputStream();
        avroBytes.writeBytes(header);
        BinaryEncoder avro = EncoderFactory.get().directBinaryEncoder(avroBytes, null);
        Random random = new Random(7);
        for (BinaryEncoder out : new BinaryEncoder[] {ours, avro}) {
            random.setSeed(7);
            for (int i : new int[] {0, 1, -1, 63, 64, -64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                out.writeInt(i);
            }
            for (long l : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 35, -(1L << 49)}) {
                out.writeLong(l);
            }
            for (int i = 0; i < 1000; i++) {
                out.writeInt(random.nextInt());
                out.writeLong(random.nextLong());
            }
            for (float f : new float[] {0f, -0f, 1.5f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE}) {
                out.writeFloat(f);
            }
            for (double d : new double[] {0d, -0d, 2.25d, Double.NaN, Double.POSITIVE_INFINITY, Double.MAX_VALUE}) {
                out.writeDouble(d);
            }
            out.writeBoolean(true);
            out.writeBoolean(false);
            out.writeString("");
            out.writeString("naïve ☃ \uD83D\uDE00 tab\t");
            out.writeBytes(ByteBuffer.wrap(new byte[] {9, 8, 7, 6}, 1, 2));
            out.writeFixed(new byte[] {1, 2, 3});
            out.writeArrayStart();
            out.setItemCount(2);
            out.startItem();
            out.writeIndex(3);
            out.startItem();
            out.writeEnum(1);
            out.writeArrayEnd();
            out.flush();
        }

        assertThat(ours.toByteArray()).isEqualTo(avroBytes.toByteArray());
    }
}
