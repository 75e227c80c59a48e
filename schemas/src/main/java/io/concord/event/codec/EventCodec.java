package io.concord.event.codec;

import io.concord.event.AppliedBatch;
import io.concord.event.ChangeEvent;
import io.concord.event.DeadLetter;
import io.concord.event.Heartbeat;
import io.concord.event.RowStateRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes Concord's events with Avro single-object encoding: a two-byte marker,
 * the writer schema's 64-bit fingerprint, then the Avro binary body. No schema registry is
 * needed: the fingerprint says which schema wrote a message, and this codec knows the
 * current schema and every released one (see {@link SchemaHistory}).
 *
 * <p>One topic carries several record types (changes and heartbeats); {@link #decode} tells
 * them apart by fingerprint. The row state persisted in {@code concord.row_versions}
 * ({@link RowStateRecord}) is encoded the same way, because it too is read by other Concord
 * versions than the one that wrote it. Instances are thread-safe.
 */
public final class EventCodec {

    static {
        TrustedClasses.ensure();
    }

    /** Marker and fingerprint: where a single-object encoded record's body begins. */
    static final int HEADER_LENGTH = 10;
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    /** The current schema of every record the codec handles, one per name in {@link SchemaHistory#RECORDS}. */
    static final List<Schema> CURRENT = List.of(ChangeEvent.SCHEMA$, Heartbeat.SCHEMA$, DeadLetter.SCHEMA$,
            RowStateRecord.SCHEMA$, AppliedBatch.SCHEMA$);

    /** Encoder per record class, each writing its current schema's fingerprint. */
    private final Map<Class<?>, BinaryMessageEncoder<SpecificRecord>> encoders = new HashMap<>();

    /** The decoder of one record type, reading every known writer schema into the current one. */
    private record RecordDecoder(String record, BinaryMessageDecoder<SpecificRecord> decoder) {
    }

    /** Writer fingerprint -> the decoder of the record type that schema belongs to. */
    private final Map<Long, RecordDecoder> decoders = new HashMap<>();

    public EventCodec() {
        Map<String, RecordDecoder> byRecord = new HashMap<>();
        for (Schema current : CURRENT) {
            RecordDecoder decoder = new RecordDecoder(current.getName(),
                    new BinaryMessageDecoder<>(SpecificData.getForSchema(current), current));
            byRecord.put(current.getName(), decoder);
            decoders.put(fingerprint(current), decoder);
            SpecificData model = SpecificData.getForSchema(current);
            encoders.put(model.getClass(current), new BinaryMessageEncoder<>(model, current));
        }
        for (SchemaHistory.Released released : SchemaHistory.all()) {
            RecordDecoder decoder = byRecord.get(released.record());
            decoder.decoder().addSchema(released.schema());
            decoders.putIfAbsent(fingerprint(released.schema()), decoder);
        }
    }

    /** Encodes any of the records in {@link #CURRENT} with its current schema. */
    public byte[] encode(SpecificRecord record) {
        if (record instanceof ChangeEvent event) {
            try {
                return ChangeEventWriter.encode(event);
            } catch (NullPointerException e) {
                // A required field is null: Avro's writer below fails too, and names the field.
            }
        }
        BinaryMessageEncoder<SpecificRecord> encoder = encoders.get(record.getClass());
        if (encoder == null) {
            throw new IllegalArgumentException(record.getClass().getName() + " is not one of Concord's records");
        }
        return encode(encoder, record);
    }

    private static <T> byte[] encode(BinaryMessageEncoder<T> encoder, T datum) {
        try {
            ByteBuffer buffer = encoder.encode(datum);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + datum.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decodes any Concord record, returning a {@link ChangeEvent}, {@link Heartbeat},
     * {@link DeadLetter} or {@link RowStateRecord}, read into the current schema whichever released
     * schema wrote it.
     *
     * @throws EventDecodingException naming what is wrong: no single-object header, an unknown
     *     fingerprint (printed in hex), or a body that does not match its schema
     */
    public SpecificRecord decode(byte[] payload) throws EventDecodingException {
        long fingerprint = fingerprintOf(payload);
        RecordDecoder decoder = decoders.get(fingerprint);
        if (decoder == null) {
            throw new EventDecodingException(EventDecodingException.Kind.UNKNOWN_SCHEMA,
                    "unknown schema fingerprint " + hex(fingerprint)
                            + ": written by a Concord version this one does not know (a newer one, or not Concord)");
        }
        try {
            return decoder.decoder().decode(payload);
        } catch (MissingSchemaException | BadHeaderException e) {
            throw new EventDecodingException(EventDecodingException.Kind.UNKNOWN_SCHEMA,
                    "unknown schema fingerprint " + hex(fingerprint), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new EventDecodingException(EventDecodingException.Kind.CORRUPT,
                    "corrupt " + decoder.record() + " body (" + payload.length + " bytes, fingerprint "
                            + hex(fingerprint) + "): " + e.getMessage(), e);
        }
    }

    /** Reads the writer fingerprint from a single-object header without decoding the body. */
    public static long fingerprintOf(byte[] payload) throws EventDecodingException {
        if (payload == null) {
            throw new EventDecodingException(EventDecodingException.Kind.NOT_SINGLE_OBJECT, "null payload");
        }
        if (payload.length < HEADER_LENGTH || payload[0] != MARKER_0 || payload[1] != MARKER_1) {
            throw new EventDecodingException(EventDecodingException.Kind.NOT_SINGLE_OBJECT,
                    "not an Avro single-object message (" + payload.length + " bytes, starting "
                            + HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 4)) + ")");
        }
        return ByteBuffer.wrap(payload, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The CRC-64-AVRO fingerprint of a schema's parsing canonical form, as in the header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    private static String hex(long fingerprint) {
        return String.format("%016x", fingerprint);
    }
}
