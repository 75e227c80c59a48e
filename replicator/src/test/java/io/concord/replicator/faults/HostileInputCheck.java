package io.concord.replicator.faults;

import io.concord.event.DeadLetter;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What became of each hostile record in each receiving DC: set aside in {@code concord.dead_letters} and on the
 * DC's dead-letter topic with the expected class and a reason that says what is wrong, or (a loop, a duplicate)
 * dropped without a dead letter.
 */
final class HostileInputCheck {

    private HostileInputCheck() {
    }

    static List<String> check(List<HostileInput.Injected> injected, HostileInput.Injected[] flood, String topic,
            Map<String, List<DeadLetters.Letter>> lettersByDc, String bootstrapServers, String prefix) {
        List<String> violations = new ArrayList<>();
        for (String dc : HostileInput.RECEIVERS) {
            Map<Long, DeadLetters.Letter> letters = new HashMap<>();
            lettersByDc.get(dc).stream().filter(l -> l.topic().equals(topic)).forEach(l -> letters.put(l.offset(), l));
            Map<Long, DeadLetter> published = deadLetterTopic(bootstrapServers, prefix + ".dlq." + dc, topic);
            for (HostileInput.Injected record : injected) {
                DeadLetters.Letter letter = letters.get(record.offset());
                String where = record.kind() + " (" + topic + "@" + record.offset() + ") in DC " + dc;
                if (!record.setAsideBy(dc)) {
                    if (letter != null) {
                        violations.add(where + " should have been dropped, not set aside: " + letter);
                    }
                    continue;
                }
                if (letter == null) {
                    violations.add(where + " is not in concord.dead_letters");
                    continue;
                }
                if (record.errorClass() != null && !record.errorClass().equals(letter.errorClass())) {
                    violations.add(where + " has error class " + letter.errorClass() + ", expected "
                            + record.errorClass() + ": " + letter);
                }
                if (!letter.reason().toLowerCase(Locale.ROOT).contains(record.reasonContains().toLowerCase(Locale.ROOT))) {
                    violations.add(where + " has a reason that does not say \"" + record.reasonContains() + "\": "
                            + letter);
                }
                if (letter.reason().length() > 10_000) {
                    violations.add(where + " has a reason of " + letter.reason().length() + " characters: a reason"
                            + " should name what is wrong, not carry the payload");
                }
                if (!published.containsKey(record.offset())) {
                    violations.add(where + " is not on the dead-letter topic " + prefix + ".dlq." + dc);
                }
            }
            letters.keySet().stream().filter(o -> o >= flood[0].offset() && o <= flood[1].offset()).limit(3)
                    .forEach(o -> violations.add("a duplicate of the flood was set aside in DC " + dc + ": "
                            + letters.get(o)));
        }
        return violations;
    }

    /** The dead letters on a DLQ topic that came from {@code sourceTopic}, by source offset. */
    private static Map<Long, DeadLetter> deadLetterTopic(String bootstrapServers, String dlq, String sourceTopic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        EventCodec codec = new EventCodec();
        Map<Long, DeadLetter> letters = new HashMap<>();
        TopicPartition partition = new TopicPartition(dlq, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        if (codec.decode(record.value()) instanceof DeadLetter letter
                                && letter.getSourceTopic().equals(sourceTopic)) {
                            letters.put(letter.getSourceOffset(), letter);
                        }
                    } catch (EventDecodingException e) {
                        letters.put(-1L - record.offset(), null); // not a DeadLetter: reported as missing ones
                    }
                }
            }
        }
        return letters;
    }
}
