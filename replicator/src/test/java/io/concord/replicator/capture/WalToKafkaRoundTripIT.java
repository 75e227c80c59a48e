package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Operation;
import io.concord.event.RowVersion;
import io.concord.event.codec.EventCodec;
import io.concord.replicator.capture.pgoutput.Begin;
import io.concord.replicator.capture.pgoutput.Commit;
import io.concord.replicator.capture.pgoutput.RowChange;
import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.publish.TransactionalPublisher;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.types.JdbcTypeCatalog;
import io.concord.replicator.types.PgTextCodec;
import io.concord.replicator.types.TypeRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The foundation end to end on real servers: rows written to PostgreSQL come out of a pgoutput
 * slot, become {@link ChangeEvent}s, go through Kafka in a transaction and come back equal; and
 * every typed value written back as PostgreSQL text is exactly what PostgreSQL itself prints.
 */
class WalToKafkaRoundTripIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final String SCHEMA = """
            CREATE TYPE colour AS ENUM ('red', 'green', 'blue');
            CREATE TABLE everything (
                id int8 PRIMARY KEY, c_bool bool, c_int2 int2, c_int4 int4, c_float4 float4, c_float8 float8,
                c_numeric numeric(30,10), c_numeric_free numeric, c_text text, c_varchar varchar(20), c_char char(5),
                c_name name, c_bytea bytea, c_uuid uuid, c_json json, c_jsonb jsonb, c_date date, c_time time,
                c_timetz timetz, c_timestamp timestamp, c_timestamptz timestamptz, c_interval interval,
                c_enum colour, c_int_array int4[], c_text_array text[], c_matrix int8[][], c_enum_array colour[],
                c_inet inet, c_money money, c_range int4range);
            ALTER TABLE everything REPLICA IDENTITY FULL;
            CREATE PUBLICATION roundtrip FOR TABLE everything;
            """;

    /** Three inserts in one transaction, then an update and a delete in their own. */
    private static final List<String> TRANSACTIONS = List.of("""
            INSERT INTO everything VALUES
              (1, true, -32768, 2147483647, 1.5, -0.000123456789012345, 12345678901234567890.0123456789, 1.50,
               'héllo "wörld"', 'varchar', 'ab', 'a_name', '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
               '{"b": 1,  "a": [1, 2]}', '{"b": 1, "a": [1, 2]}', '2024-02-29', '23:59:59.999999',
               '12:00:00+05:30', '2024-01-01 12:34:56.123456', '2024-06-30 23:59:59.5+02',
               '1 year 2 mons -3 days 04:05:06.789', 'green', '{1,NULL,3}', '{"a b","c,d",NULL,"\\"q\\""}',
               '{{1,2},{3,4}}', '{red,blue}', '192.168.0.1/24', '12.34', '[1,10)');
            INSERT INTO everything (id) VALUES (2);
            INSERT INTO everything (id, c_float4, c_float8, c_numeric_free, c_date, c_timestamp, c_timestamptz,
                c_text, c_int_array)
              VALUES (3, 'NaN', '-Infinity', 'NaN', '-infinity', 'infinity', '4713-01-01 00:00:00+00 BC', '',
                '[0:1]={7,8}');
            """,
            "UPDATE everything SET c_text = 'changed', c_int4 = NULL WHERE id = 1",
            "DELETE FROM everything WHERE id = 2");

    @Test
    void rowsGoFromWalThroughKafkaAndBackWithoutLoss() throws Exception {
        PostgresServer pg = cluster.postgres("a");
        try (Connection connection = pg.connect(); Statement statement = connection.createStatement()) {
            statement.execute(SCHEMA);
            // A slot cannot be created in a transaction that wrote: its own statement.
            statement.execute("SELECT pg_create_logical_replication_slot('roundtrip', 'pgoutput')");
            for (String transaction : TRANSACTIONS) {
                statement.execute(transaction);
            }
        }
        Map<Long, Map<String, String>> printedByPostgres = printedRows(pg);

        List<ChangeEvent> captured = capture(pg, 5);
        assertThat(captured).extracting(ChangeEvent::getOp).containsExactly(
                Operation.INSERT, Operation.INSERT, Operation.INSERT, Operation.UPDATE, Operation.DELETE);
        assertThat(captured).extracting(e -> e.getSource().getLast()).containsExactly(false, false, true, true, true);

        String topic = "concord.changes.a";
        cluster.kafka().createTopic(topic, 1, (short) 1);
        EventCodec codec = new EventCodec();
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers());
        try (TransactionalPublisher publisher = new TransactionalPublisher(producerProperties, "a", topic)) {
            publisher.open();
            for (ChangeEvent event : captured) {
                publisher.send(event.getEventId().getBytes(StandardCharsets.UTF_8), codec.encode(event));
            }
            publisher.commit();
        }

        List<ChangeEvent> received = consume(topic, captured.size(), codec);
        assertThat(received).isEqualTo(captured);

        // Every value, written back as PostgreSQL text, is what PostgreSQL prints for the stored row.
        ChangeEvent updated = received.get(3);
        assertThat(textOf(updated.getAfter())).isEqualTo(printedByPostgres.get(1L));
        assertThat(textOf(received.get(2).getAfter())).isEqualTo(printedByPostgres.get(3L));
        assertThat(textOf(received.get(1).getAfter())).containsEntry("id", "2").containsEntry("c_text", null)
                .hasSize(printedByPostgres.get(1L).size());
        assertThat(textOf(received.get(4).getBefore())).containsEntry("id", "2").containsEntry("c_bool", null);
        assertThat(updated.getChangedColumns()).containsExactlyInAnyOrder("c_text", "c_int4");
        assertThat(updated.getKey()).extracting(Column::getName).containsExactly("id");
    }

    /** Reads the slot until {@code changes} row changes arrived, turning each into a ChangeEvent. */
    private static List<ChangeEvent> capture(PostgresServer pg, int changes) throws Exception {
        ChangeEventAssembler assembler = new ChangeEventAssembler("a");
        TypeRegistry types = new TypeRegistry(new JdbcTypeCatalog(pg::connect));
        List<ChangeEvent> events = new ArrayList<>();
        List<RowChange> transaction = new ArrayList<>();
        Begin begin = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (PgOutputStream stream = PgOutputStream.open(pg.jdbcUrl(), pg.user(), pg.password(),
                WalStreamOptions.of("roundtrip", "roundtrip"), Lsn.INVALID, types)) {
            while (events.size() < changes && System.nanoTime() < deadline) {
                WalEvent event = stream.readPending();
                if (event == null) {
                    Thread.sleep(10);
                } else if (event.message() instanceof Begin b) {
                    begin = b;
                    transaction.clear();
                } else if (event.message() instanceof RowChange change) {
                    transaction.add(change);
                } else if (event.message() instanceof Commit) {
                    for (int i = 0; i < transaction.size(); i++) {
                        RowVersion version = new RowVersion(Map.of("a", (long) events.size() + 1),
                                begin.commitTimeMicros(), "a");
                        RowChange change = transaction.get(i);
                        events.add(assembler.assemble("a", begin, i, i == transaction.size() - 1, change.relation(),
                                ChangeEventAssembler.images(change, List.of("id")), version, null));
                    }
                }
            }
        }
        assertThat(events).as("row changes read from the slot").hasSize(changes);
        return events;
    }

    private List<ChangeEvent> consume(String topic, int expected, EventCodec codec) throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ChangeEvent> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add((ChangeEvent) codec.decode(record.value()));
                }
            }
        }
        return received;
    }

    private static Map<String, String> textOf(List<Column> image) {
        Map<String, String> text = new HashMap<>();
        for (Column column : image) {
            text.put(column.getName(), column.getValue().getValue() == null ? null : PgTextCodec.encode(column.getValue()));
        }
        return text;
    }

    /** Each row as PostgreSQL prints it, in the same session settings capture pins (UTC, ISO). */
    private static Map<Long, Map<String, String>> printedRows(PostgresServer pg) throws Exception {
        Map<Long, Map<String, String>> rows = new HashMap<>();
        try (Connection connection = pg.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'; SET DateStyle = ISO; SET IntervalStyle = postgres;"
                    + " SET extra_float_digits = 1; SET bytea_output = hex");
            try (ResultSet rs = statement.executeQuery("SELECT * FROM everything")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, String> row = new HashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnName(i), rs.getString(i));
                    }
                    rows.put(rs.getLong("id"), row);
                }
            }
        }
        return rows;
    }
}
