package io.concord.event.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Builds generic records of any schema from a seed, every union branch taken in turn. */
final class SampleRecords {

    private static final int MAX_DEPTH = 4;

    private final Random random;
    private int unionTurn;

    SampleRecords(long seed) {
        this.random = new Random(seed);
    }

    Object sample(Schema schema) {
        return sample(schema, 0);
    }

    private Object sample(Schema schema, int depth) {
        switch (schema.getType()) {
            case RECORD: {
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), sample(field.schema(), depth + 1));
                }
                return record;
            }
            case UNION: {
                List<Schema> branches = schema.getTypes();
                // Past the depth limit take the null branch, so recursive types (arrays of Datum) end.
                int branch = depth > MAX_DEPTH ? 0 : Math.floorMod(unionTurn++, branches.size());
                return sample(branches.get(branch), depth + 1);
            }
            case ARRAY: {
                int size = depth > MAX_DEPTH ? 0 : random.nextInt(3);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    items.add(sample(schema.getElementType(), depth + 1));
                }
                return new GenericData.Array<>(schema, items);
            }
            case MAP: {
                Map<String, Object> map = new HashMap<>();
                for (int i = 0; i < random.nextInt(3); i++) {
                    map.put("k" + i, sample(schema.getValueType(), depth + 1));
                }
                return map;
            }
            case ENUM:
                return new GenericData.EnumSymbol(schema,
                        schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case FIXED: {
                byte[] bytes = new byte[schema.getFixedSize()];
                random.nextBytes(bytes);
                return new GenericData.Fixed(schema, bytes);
            }
            case STRING:
                return "s" + random.nextInt(1000);
            case BYTES: {
                byte[] bytes = new byte[random.nextInt(8)];
                random.nextBytes(bytes);
                return ByteBuffer.wrap(bytes);
            }
            case INT:
                return random.nextInt();
            case LONG:
                return random.nextLong();
            case FLOAT:
                return random.nextFloat();
            case DOUBLE:
                return random.nextDouble();
            case BOOLEAN:
                return random.nextBoolean();
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException("no sample for " + schema.getType());
        }
    }
}
