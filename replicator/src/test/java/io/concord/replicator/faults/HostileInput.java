package io.concord.replicator.faults;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.RowVersion;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes hostile records straight onto DC a's changes topic, which b and c consume, as a broken or malicious
 * producer would, while the pipeline runs: garbage, an unknown schema fingerprint, events for an unconfigured
 * table, an unknown column, a value of the wrong type, a 10 MB value, real events of b and of c (each a loop for
 * the DC it came from, and misplaced for the other: in a mesh only a's own writes belong on a's topic), and a flood
 * of duplicates of a real event. Each record's offset is kept with what must become of it.
 *
 * <p>Every record must be set aside or dropped by both receivers alike: one they applied would exist in b and c
 * but not in a, which the convergence check would catch.
 */
final class HostileInput implements AutoCloseable {

    static final String EVENT_ID_PREFIX = "hostile/";
    /** The DC whose topic gets the records; its peers receive them. */
    static final String TOPIC_DC = "a";
    static final List<String> RECEIVERS = List.of("b", "c");
    private static final int TEN_MB = 10 * 1024 * 1024;
    private static final long XID_BASE = 3_000_000_000L;

    /**
     * One hostile record on the topic and what must become of it.
     *
     * @param kind          what it is
     * @param offset        where it is
     * @param deadLetter    whether each receiver must set it aside (else it must be dropped: a loop or a duplicate)
     * @param errorClass    the dead letter's expected error class, when it is one
     * @param reasonContains a phrase the dead letter's reason must contain
     * @param loopOf        the receiver whose own event it is, which drops it as a loop instead; or null
     */
    record Injected(String kind, long offset, boolean deadLetter, String errorClass, String reasonContains,
            String loopOf) {

        /** Whether receiver {@code dc} must set it aside. */
        boolean setAsideBy(String dc) {
            return deadLetter && !dc.equals(loopOf);
        }
    }

    private final String prefix;
    private final String topic;
    private final String bootstrapServers;
    private final EventCodec codec = new EventCodec();
    private final KafkaProducer<byte[], byte[]> producer;
    private final Random random;

    HostileInput(String bootstrapServers, String prefix, Random random) {
        this.bootstrapServers = bootstrapServers;
        this.prefix = prefix;
        this.topic = prefix + ".changes." + TOPIC_DC;
        this.random = random;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * TEN_MB);
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * TEN_MB);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "faults-hostile");
        producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    String topic() {
        return topic;
    }

    /**
     * Lets the topic take a 10 MB record, as an operator whose rows can be that large would configure it; the
     * point is what Concord does with such a record, not whether Kafka refuses it.
     */
    void allowLargeRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", String.valueOf(2 * TEN_MB)), AlterConfigOp.OpType.SET))))
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Writes one record of each hostile kind (not the flood) and returns them with their offsets. */
    List<Injected> injectEach(KeySpace keys) throws Exception {
        byte[] ownTemplate = realEvent(TOPIC_DC).value();
        long commitLsn = ((ChangeEvent) codec.decode(ownTemplate)).getSource().getCommitLsn();
        List<Injected> injected = new ArrayList<>();

        byte[] garbage = new byte[64];
        random.nextBytes(garbage);
        byte[] text = "definitely not a Concord event ".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(text, 0, garbage, 0, text.length);
        injected.add(send("garbage bytes", garbage, true, "DECODE", "not an Avro single-object message"));

        byte[] unknown = codec.encode(event("unknown-schema", 1, SuiteTable.LWW.tableName(), keys.hostileKey(1),
                commitLsn, row(keys.hostileKey(1), text("val", "from a newer schema"), int8("n", 1))));
        for (int i = 2; i < 10; i++) {
            unknown[i] = (byte) (0xA5 ^ i); // a fingerprint no schema of this build has
        }
        injected.add(send("unknown schema fingerprint", unknown, true, "UNKNOWN_SCHEMA", "unknown schema fingerprint"));

        injected.add(send("event for an unconfigured table", codec.encode(event("unconfigured-table", 2,
                "not_replicated", keys.hostileKey(2), commitLsn, row(keys.hostileKey(2), text("val", "x")))), true,
                "SCHEMA", "not_replicated"));

        injected.add(send("event with an unknown column", codec.encode(event("unknown-column", 3,
                SuiteTable.LWW.tableName(), keys.hostileKey(3), commitLsn, row(keys.hostileKey(3), text("val", "x"),
                        int8("n", 3), text("bogus", "no such column")))), true, "SCHEMA", "bogus"));

        Column wrongType = new Column("n", "int8", new Datum("not a number"));
        injected.add(send("event with a value of the wrong type", codec.encode(event("wrong-type", 4,
                SuiteTable.LWW.tableName(), keys.hostileKey(4), commitLsn, row(keys.hostileKey(4), text("val", "x"),
                        wrongType))), true, null, "column 'n'"));

        String huge = "x".repeat(TEN_MB);
        injected.add(send("event with a 10 MB value", codec.encode(event("oversized", 5, SuiteTable.LWW.tableName(),
                keys.hostileKey(5), commitLsn, row(keys.hostileKey(5), text("val", huge), int8("n", 5)))), true,
                null, "value too long"));

        // Real events of b and c on a's topic: each DC drops its own as a loop; the other sets it aside, as a's
        // topic carries only a's writes in a mesh.
        for (String origin : RECEIVERS) {
            Injected looped = send("event of " + origin + " on a's topic", realEvent(origin).value(), true,
                    "PROVENANCE", "only DC " + TOPIC_DC + " publishes there");
            injected.add(new Injected(looped.kind(), looped.offset(), true, looped.errorClass(),
                    looped.reasonContains(), origin));
        }
        producer.flush();
        return injected;
    }

    /** Writes {@code copies} copies of a real event of a, the last of its transaction; returns the first and last. */
    Injected[] flood(int copies) throws Exception {
        byte[] real = realEvent(TOPIC_DC).value();
        List<Future<RecordMetadata>> sent = new ArrayList<>(copies);
        for (int i = 0; i < copies; i++) {
            sent.add(producer.send(new ProducerRecord<>(topic, null, real)));
        }
        producer.flush();
        return new Injected[] {
            new Injected("duplicate flood (first)", sent.get(0).get().offset(), false, null, null, null),
            new Injected("duplicate flood (last)", sent.get(copies - 1).get().offset(), false, null, null, null)};
    }

    private Injected send(String kind, byte[] value, boolean deadLetter, String errorClass, String reason)
            throws Exception {
        RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, kind.getBytes(StandardCharsets.UTF_8),
                value)).get(60, TimeUnit.SECONDS);
        return new Injected(kind, metadata.offset(), deadLetter, errorClass, reason, null);
    }

    /**
     * The latest change event {@code dc} published that ends its transaction (so that its copies each form a whole
     * transaction), as raw bytes.
     */
    private ConsumerRecord<byte[], byte[]> realEvent(String dc) throws EventDecodingException {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(prefix + ".changes." + dc, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, Math.max(0, end - 2_000));
            ConsumerRecord<byte[], byte[]> found = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (isRealLastEvent(record.value(), dc)) {
                        found = record;
                    }
                }
            }
            if (found == null) {
                throw new IllegalStateException("no change event of " + dc + " ending a transaction near the end of "
                        + partition);
            }
            return found;
        }
    }

    private boolean isRealLastEvent(byte[] value, String dc) {
        try {
            return codec.decode(value) instanceof ChangeEvent event && event.getOrigin().equals(dc)
                    && !event.getEventId().startsWith(EVENT_ID_PREFIX) && event.getSource().getLast();
        } catch (EventDecodingException e) {
            return false;
        }
    }

    private static ChangeEvent event(String kind, int n, String table, long id, long commitLsn, List<Column> after) {
        long now = System.currentTimeMillis() * 1_000;
        return ChangeEvent.newBuilder()
                .setEventId(EVENT_ID_PREFIX + kind + "/" + n)
                .setOrigin(TOPIC_DC)
                .setPublishedBy(TOPIC_DC)
                .setTable(new TableRef("public", table))
                .setOp(Operation.INSERT)
                .setKey(List.of(int8("id", id)))
                .setBefore(null)
                .setAfter(after)
                .setUnchangedToastColumns(List.of())
                .setChangedColumns(null)
                .setVersion(new RowVersion(Map.of(TOPIC_DC, 1L), now, TOPIC_DC))
                .setColumnStates(null)
                .setSource(new SourceTransaction(XID_BASE + n, commitLsn, now, 0, true))
                .build();
    }

    private static List<Column> row(long id, Column... columns) {
        List<Column> row = new ArrayList<>();
        row.add(int8("id", id));
        row.addAll(List.of(columns));
        return row;
    }

    private static Column int8(String name, long value) {
        return new Column(name, "int8", new Datum(value));
    }

    private static Column text(String name, String value) {
        return new Column(name, "varchar", new Datum(value));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** For the report: the kinds, in order. */
    static String kinds(Collection<Injected> injected) {
        return injected.stream().map(Injected::kind).toList().toString();
    }
}
