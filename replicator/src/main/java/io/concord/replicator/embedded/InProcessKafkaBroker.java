package io.concord.replicator.embedded;

import java.util.Optional;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/** A KRaft node running inside this JVM, the fast default for tests and {@code concord demo}. */
final class InProcessKafkaBroker implements KafkaBroker {

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
