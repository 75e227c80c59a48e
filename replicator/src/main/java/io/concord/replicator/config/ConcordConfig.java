package io.concord.replicator.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration of one DC's replicator, as read from {@code concord.yaml}.
 * Immutable; built only by {@link ConfigLoader}, which checks every value first.
 */
public record ConcordConfig(
        String dc,
        Postgres postgres,
        Kafka kafka,
        Topics topics,
        Topology topology,
        List<String> peers,
        List<Table> tables,
        Capture capture,
        Apply apply,
        Http http) {

    /** Connection to this DC's PostgreSQL leader. The password never appears in {@link #toString()}. */
    public record Postgres(String url, String user, String password, int poolSize) {
        @Override
        public String toString() {
            return "Postgres[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "****")
                    + ", poolSize=" + poolSize + "]";
        }
    }

    /** Kafka bootstrap servers and any client properties (TLS, SASL, ...), secrets masked in toString. */
    public record Kafka(String bootstrapServers, Map<String, String> properties) {
        @Override
        public String toString() {
            StringBuilder masked = new StringBuilder("{");
            properties.forEach((key, value) -> masked.append(masked.length() > 1 ? ", " : "").append(key).append('=')
                    .append(Secrets.isSecretKey(key) ? "****" : value));
            return "Kafka[bootstrapServers=" + bootstrapServers + ", properties=" + masked.append('}') + "]";
        }
    }

    /**
     * Topic naming and creation settings. A changes topic has one partition on purpose: a DC's
     * changes form one stream in commit order, so a receiver applies each source transaction
     * whole and in order (Kafka keeps order only within a partition).
     */
    public record Topics(String prefix, short replicationFactor) {
        /** The topic a DC publishes its changes and heartbeats to. */
        public String changes(String dc) {
            return prefix + ".changes." + dc;
        }

        /** The dead-letter topic of a DC. */
        public String deadLetters(String dc) {
            return prefix + ".dlq." + dc;
        }
    }

    /** Which peers' topics this DC consumes. */
    public record Topology(TopologyType type, String hub, String upstream) {
    }

    /** The replication topologies. */
    public enum TopologyType { MESH, STAR, RING }

    /** A replicated table, its key and its resolver. */
    public record Table(String schema, String name, List<String> key, Resolver resolver) {
        public String qualifiedName() {
            return schema + "." + name;
        }

        public Optional<List<String>> configuredKey() {
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        }
    }

    /** A resolver by name (built-in short name or class name) and its own options, as plain values. */
    public record Resolver(String name, Map<String, Object> options) {
    }

    /** Capture settings: slot, publication, heartbeats, batching. */
    public record Capture(String slot, String publication, Duration heartbeatInterval, int maxBatchEvents,
            Duration maxBatchDelay) {
    }

    /**
     * Apply settings: batching of incoming events into local transactions, and how many database sessions of a
     * peer apply the parts of a large batch side by side.
     */
    public record Apply(int batchSize, Duration maxBatchDelay, int sessions) {
    }

    /** The HTTP endpoint for metrics and health; port 0 turns it off. */
    public record Http(int port) {
    }

    /**
     * Where people's decisions on conflicts live ({@code concord conflicts resolve|dismiss}). It is replicated
     * like a user table, with {@code lww}, so a decision taken in one DC reaches every DC through the same
     * capture, forwarding, loop filter and exactly-once apply as the rows it is about — and in the same source
     * transaction as the row a resolution writes.
     */
    public static final Table CONFLICT_DECISIONS = new Table("concord", "conflict_decisions", List.of("id"),
            new Resolver("lww", Map.of()));

    /** The tables capture and apply replicate: the configured ones and {@link #CONFLICT_DECISIONS}. */
    public List<Table> replicatedTables() {
        List<Table> all = new ArrayList<>(tables);
        all.add(CONFLICT_DECISIONS);
        return List.copyOf(all);
    }

    /** The configured table of this qualified name, if any. */
    public Optional<Table> table(String qualifiedName) {
        return tables.stream().filter(table -> table.qualifiedName().equals(qualifiedName)).findFirst();
    }

    /** The peers this DC consumes from, given its topology. */
    public List<String> sources() {
        return switch (topology.type()) {
            case MESH -> peers;
            case STAR -> dc.equals(topology.hub()) ? peers : List.of(topology.hub());
            case RING -> List.of(topology.upstream());
        };
    }

    /** Whether this DC forwards changes it applied (star hub, ring member). */
    public boolean forwardsAppliedChanges() {
        return forwards(dc);
    }

    /** Whether DC {@code id} forwards the changes it applied, so that its topic carries other DCs' writes too. */
    public boolean forwards(String id) {
        return topology.type() == TopologyType.RING
                || topology.type() == TopologyType.STAR && id.equals(topology.hub());
    }
}
