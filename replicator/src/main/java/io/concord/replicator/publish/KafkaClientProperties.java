package io.concord.replicator.publish;

import io.concord.replicator.config.ConcordConfig;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/** Client properties shared by every Kafka client of a DC: bootstrap servers plus the user's own (TLS, SASL). */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    public static Properties common(ConcordConfig.Kafka kafka, String clientId) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        properties.putAll(kafka.properties());
        return properties;
    }
}
