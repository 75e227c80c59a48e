package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.publish.KafkaClientProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Reads a {@link DcStatus}: capture and apply progress from PostgreSQL, topic ends from Kafka. */
final class DcStatusReader {

    private static final int KAFKA_TIMEOUT_MILLIS = 5_000;

    private final ConcordConfig config;

    DcStatusReader(ConcordConfig config) {
        this.config = config;
    }

    DcStatus read(Connection connection) throws SQLException {
        Map<String, Long> ends = new HashMap<>();
        String kafkaProblem = topicEnds(ends);
        List<DcStatus.Peer> peers = new ArrayList<>();
        for (String peer : config.peers()) {
            peers.add(peer(connection, peer, ends));
        }
        return new DcStatus(config.dc(), capture(connection), peers,
                count(connection, "SELECT count(*) FROM concord.conflicts WHERE status = 'open'"),
                count(connection, "SELECT count(*) FROM concord.dead_letters WHERE status IN ('new', 'retry')"),
                kafkaProblem);
    }

    private DcStatus.Capture capture(Connection connection) throws SQLException {
        String slot = config.capture().slot();
        boolean exists = false;
        boolean active = false;
        String confirmed = null;
        Long lag = null;
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT active, confirmed_flush_lsn::text, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
                  FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()""")) {
            statement.setString(1, slot);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    exists = true;
                    active = rs.getBoolean(1);
                    confirmed = rs.getString(2);
                    lag = rs.getObject(3, Long.class);
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT lsn::text, epoch, updated_at FROM concord.capture_progress WHERE slot = ?")) {
            statement.setString(1, slot);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    return new DcStatus.Capture(slot, exists, active, confirmed, lag, rs.getString(1), rs.getLong(2),
                            utc(rs.getObject(3, OffsetDateTime.class)));
                }
            }
        }
        return new DcStatus.Capture(slot, exists, active, confirmed, lag, null, null, null);
    }

    private DcStatus.Peer peer(Connection connection, String peer, Map<String, Long> ends) throws SQLException {
        String topic = config.topics().changes(peer);
        Long next = null;
        String appliedAt = null;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT sum(next_offset)::bigint, max(applied_at) FROM concord.apply_progress WHERE topic = ?")) {
            statement.setString(1, topic);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                    next = rs.getLong(1);
                    appliedAt = utc(rs.getObject(2, OffsetDateTime.class));
                }
            }
        }
        Long lagMillis = null;
        String heartbeatAt = null;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT lag_millis, last_heartbeat_at FROM concord.peer_status WHERE peer = ?")) {
            statement.setString(1, peer);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    lagMillis = rs.getLong(1);
                    heartbeatAt = utc(rs.getObject(2, OffsetDateTime.class));
                }
            }
        }
        Long end = ends.get(topic);
        boolean consumed = config.sources().contains(peer);
        Long behind = end == null || !consumed ? null : Math.max(0, end - (next == null ? 0 : next));
        return new DcStatus.Peer(peer, consumed, topic, next, behind, appliedAt, lagMillis, heartbeatAt);
    }

    /**
     * The committed end of each consumed topic (the last stable offset: what read_committed apply can reach);
     * null, or why Kafka could not tell.
     */
    private String topicEnds(Map<String, Long> ends) {
        if (config.sources().isEmpty()) {
            return null;
        }
        Properties properties = KafkaClientProperties.common(config.kafka(), "concord-status-" + config.dc());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, KAFKA_TIMEOUT_MILLIS);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, KAFKA_TIMEOUT_MILLIS);
        try (Admin admin = Admin.create(properties)) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String peer : config.sources()) {
                request.put(new TopicPartition(config.topics().changes(peer), 0), OffsetSpec.latest());
            }
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(KAFKA_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> ends.merge(partition.topic(), info.offset(), Long::sum));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "Kafka at " + config.kafka().bootstrapServers() + " did not answer: "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
}
