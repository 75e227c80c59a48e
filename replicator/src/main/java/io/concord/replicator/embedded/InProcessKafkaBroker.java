package io.concord.replicator.embedded;

import java.lang.reflect.Field;
import java.util.Optional;
import java.util.Properties;
import kafka.server.BrokerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/** A KRaft node running inside this JVM, the fast default for tests and {@code concord demo}. */
final class InProcessKafkaBroker implements KafkaBroker {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessKafkaBroker.class);

    private final Properties props;
    private KafkaRaftServer server;

    InProcessKafkaBroker(Properties props) {
        this.props = props;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            // A half-started server still holds ports, threads and the log directory lock.
            shutdown(starting);
            throw e;
        }
        server = starting;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            shutdown(server);
            server = null;
        }
    }

    /**
     * Shuts down the {@code BrokerServer} of the node, which {@code KafkaRaftServer} does not expose: read from its
     * field. The later {@link #stop} finds it stopped and goes on with the controller. If this Kafka version names
     * the field otherwise, nothing happens here and {@link #stop} stops both roles as before.
     */
    @Override
    public synchronized void stopBrokerRole() {
        if (server == null) {
            return;
        }
        Object role;
        try {
            Field field = KafkaRaftServer.class.getDeclaredField("broker");
            field.setAccessible(true);
            role = field.get(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot reach the broker role of a Kafka node, it stops with the node: {}", e.toString());
            return;
        }
        if (role instanceof Option<?> option && option.isDefined() && option.get() instanceof BrokerServer broker) {
            broker.shutdown();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public Optional<ProcessHandle> process() {
        return Optional.empty();
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }
}
