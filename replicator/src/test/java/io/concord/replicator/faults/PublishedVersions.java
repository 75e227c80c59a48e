package io.concord.replicator.faults;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The version capture gave each write of the history, read from the DCs' changes topics as a receiver reads
 * them (read_committed). A write is found by its DC, transaction id, table and key: the application writes a
 * row at most once per transaction. Kept up to date incrementally; records left by hostile-input tests (events
 * whose id starts with {@value HostileInput#EVENT_ID_PREFIX}, or whose origin is not the topic's DC) are not
 * taken as versions.
 */
final class PublishedVersions implements AutoCloseable {

    /** Where a write was published: its version and its offset in the origin's topic. */
    record Published(Version version, Write.Op op, long offset) {
    }

    private record WriteId(String dc, long xid32, SuiteTable table, long id) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final Map<TopicPartition, String> dcOfPartition = new HashMap<>();
    private final Map<WriteId, Published> byWrite = new HashMap<>();
    private final Map<String, Long> lastOwnEventOffset = new HashMap<>();
    private final Map<String, Set<String>> eventIds = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    PublishedVersions(String bootstrapServers, String prefix) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "faults-published-versions");
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (String dc : SuiteTable.DCS) {
            dcOfPartition.put(new TopicPartition(prefix + ".changes." + dc, 0), dc);
        }
        consumer.assign(dcOfPartition.keySet());
        consumer.seekToBeginning(dcOfPartition.keySet());
    }

    /** Reads every topic up to its current end (the last stable offset). */
    synchronized void refresh(Duration timeout) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(dcOfPartition.keySet(), timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the changes topics to their ends " + ends + " within "
                        + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                take(dcOfPartition.get(new TopicPartition(record.topic(), record.partition())), record);
            }
        }
    }

    private void take(String topicDc, ConsumerRecord<byte[], byte[]> record) {
        SpecificRecord decoded;
        try {
            decoded = codec.decode(record.value());
        } catch (EventDecodingException e) {
            return; // hostile input; what Concord made of it is checked elsewhere
        }
        if (!(decoded instanceof ChangeEvent event) || event.getEventId().startsWith(HostileInput.EVENT_ID_PREFIX)
                || !event.getOrigin().equals(topicDc)) {
            return;
        }
        lastOwnEventOffset.put(topicDc, record.offset());
        eventIds.computeIfAbsent(topicDc, d -> new HashSet<>()).add(event.getEventId());
        SuiteTable table = SuiteTable.ofQualified(event.getTable().getSchema$() + "." + event.getTable().getName());
        if (table == null) {
            problems.add(event.getEventId() + " at " + record.topic() + "@" + record.offset()
                    + " is for a table the suite does not write: " + event.getTable());
            return;
        }
        long id = idOf(event.getKey());
        io.concord.event.RowVersion v = event.getVersion();
        Version version = new Version(v.getVector(), v.getHlc(), v.getDc());
        Published published = new Published(version, Write.Op.valueOf(event.getOp().name()), record.offset());
        WriteId write = new WriteId(topicDc, event.getSource().getXid(), table, id);
        Published before = byWrite.putIfAbsent(write, published);
        if (before != null && !(before.version().equals(version) && before.op() == published.op())) {
            problems.add("the write " + write + " was published twice with different versions: " + before.version()
                    + " " + before.op() + " at offset " + before.offset() + ", then " + version + " " + published.op()
                    + " at offset " + record.offset());
        }
    }

    private static long idOf(List<Column> key) {
        for (Column column : key) {
            if (column.getName().equals("id")) {
                return ((Number) column.getValue().getValue()).longValue();
            }
        }
        throw new IllegalStateException("an event without an id column: " + key);
    }

    /** The write's published version, or null if it is not (yet) on its DC's topic. */
    synchronized Published of(Write write) {
        return byWrite.get(new WriteId(write.dc(), write.xid32(), write.table(), write.id()));
    }

    /** The offset of the last event {@code dc}'s capture published (duplicates included), or -1. */
    synchronized long lastOwnEventOffset(String dc) {
        return lastOwnEventOffset.getOrDefault(dc, -1L);
    }

    /** Distinct change events {@code dc} published. */
    synchronized int events(String dc) {
        return eventIds.getOrDefault(dc, Set.of()).size();
    }

    /** Inconsistencies seen on the topics: one write published with two versions, events of unknown tables. */
    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
