package io.concord.event.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.ChangeEvent;
import io.concord.event.DeadLetter;
import io.concord.event.Heartbeat;
import io.concord.event.RowStateRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The compatibility gate: the build fails when a schema change would break a running cluster. */
class SchemaCompatibilityTest {

    private static final Map<String, Schema> CURRENT = EventCodec.CURRENT.stream()
            .collect(java.util.stream.Collectors.toMap(Schema::getName, schema -> schema));

    @Test
    void currentSchemasAreCompatibleBothWaysWithEveryReleasedVersion() {
        assertThat(SchemaHistory.versions()).isNotEmpty();
        assertThat(SchemaHistory.all()).hasSize(SchemaHistory.versions().size() * SchemaHistory.RECORDS.size());

        assertThat(CompatibilityGate.violations(CURRENT, SchemaHistory.all())).isEmpty();
    }

    @Test
    void dataWrittenByEveryReleasedSchemaDecodesWithTheCurrentCodec() throws Exception {
        EventCodec codec = new EventCodec();
        for (SchemaHistory.Released released : SchemaHistory.all()) {
            for (long seed = 0; seed < 50; seed++) {
                Object record = new SampleRecords(seed).sample(released.schema());
                byte[] payload = new BinaryMessageEncoder<>(GenericData.get(), released.schema())
                        .encode(record).array();

                SpecificRecord decoded = codec.decode(payload);

                assertThat(decoded.getSchema().getName()).as(released.version() + " " + released.record())
                        .isEqualTo(released.record());
                assertThat(rewriteWith(released.schema(), decoded))
                        .as("%s %s seed %d survives the round trip", released.version(), released.record(), seed)
                        .isEqualTo(rewriteWith(released.schema(), record));
            }
        }
    }

    @Test
    void removingAFieldWithoutDefaultIsCaught() {
        Schema withoutOrigin = withoutField(ChangeEvent.SCHEMA$, "origin");

        List<String> violations = CompatibilityGate.violations(currentWith("ChangeEvent", withoutOrigin),
                SchemaHistory.all());

        assertThat(violations).isNotEmpty()
                .allSatisfy(v -> assertThat(v).contains("ChangeEvent"))
                .anySatisfy(v -> assertThat(v).contains("cannot read data written by the current schema")
                        .contains("origin"));
    }

    @Test
    void addingAFieldWithoutDefaultIsCaught() {
        Schema extended = withExtraField(Heartbeat.SCHEMA$, new Schema.Field("region", Schema.create(Schema.Type.STRING),
                "region of the DC", (Object) null));

        List<String> violations = CompatibilityGate.violations(currentWith("Heartbeat", extended),
                SchemaHistory.all());

        assertThat(violations).anySatisfy(v -> assertThat(v)
                .contains("Heartbeat (current) cannot read data written by v1").contains("region"));
    }

    @Test
    void addingAFieldWithADefaultPasses() {
        Schema extended = withExtraField(Heartbeat.SCHEMA$, new Schema.Field("region",
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "region of the DC", Schema.Field.NULL_DEFAULT_VALUE));

        assertThat(CompatibilityGate.violations(currentWith("Heartbeat", extended), SchemaHistory.all())).isEmpty();
    }

    @Test
    void aRecordThatDisappearsIsCaught() {
        Map<String, Schema> withoutDeadLetter = new HashMap<>(CURRENT);
        withoutDeadLetter.remove("DeadLetter");

        assertThat(CompatibilityGate.violations(withoutDeadLetter, SchemaHistory.all()))
                .anySatisfy(v -> assertThat(v).contains("DeadLetter").contains("no longer defined"));
    }

    @Test
    void theStoredRowStateIsHeldToTheGateLikeTheEvents() {
        Schema withoutSiblings = withoutField(RowStateRecord.SCHEMA$, "siblings");

        assertThat(CompatibilityGate.violations(currentWith("RowStateRecord", withoutSiblings), SchemaHistory.all()))
                .anySatisfy(v -> assertThat(v).contains("RowStateRecord of v1 cannot read data written by the current schema")
                        .contains("siblings"));
    }

    private static Map<String, Schema> currentWith(String record, Schema schema) {
        Map<String, Schema> current = new HashMap<>(CURRENT);
        current.put(record, schema);
        return current;
    }

    private static Schema withoutField(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            if (!field.name().equals(name)) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static Schema withExtraField(Schema schema, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(extra);
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /** Binary form under one schema: compares a specific and a generic record field by field. */
    private static byte[] rewriteWith(Schema schema, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writerFor(schema, datum).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static org.apache.avro.io.DatumWriter<Object> writerFor(Schema schema, Object datum) {
        return datum instanceof SpecificRecord
                ? new org.apache.avro.specific.SpecificDatumWriter<>(schema)
                : new GenericDatumWriter<>(schema, GenericData.get());
    }
}
