package io.concord.replicator.config;

import java.util.List;

/** Every key of {@code concord.yaml}, with its type, default and doc. */
public final class ConfigKeys {

    static final String IDENTIFIER = "a lowercase id: a letter, then letters, digits or '_' (at most 31)";

    public static final ConfigKey DC = new ConfigKey("dc", IDENTIFIER, null,
            "This datacenter's id. It names the Kafka topic, the replication slot and the origin of every write made here.");
    public static final ConfigKey PG_URL = new ConfigKey("postgres.url", "a jdbc:postgresql:// URL", null,
            "JDBC URL of this DC's PostgreSQL leader (the database holding the replicated tables).");
    public static final ConfigKey PG_USER = new ConfigKey("postgres.user", "text", null,
            "Role Concord connects as; it needs REPLICATION and ownership of (or rights on) the replicated tables.");
    public static final ConfigKey PG_PASSWORD = new ConfigKey("postgres.password", "text, usually ${ENV_VAR}", "",
            "Password; write ${NAME} to take it from the environment variable NAME. Never logged.");
    public static final ConfigKey PG_POOL = new ConfigKey("postgres.pool-size", "an integer 1..64", "4",
            "Connections in the pool used by apply, status and conflict commands.");
    public static final ConfigKey KAFKA_BOOTSTRAP = new ConfigKey("kafka.bootstrap-servers", "host:port[,host:port...]", null,
            "Kafka bootstrap servers.");
    public static final ConfigKey KAFKA_PROPERTIES = new ConfigKey("kafka.properties", "a mapping of Kafka client properties", "{}",
            "Extra client properties for every producer, consumer and admin client (security.protocol, sasl.*, ssl.*).");
    public static final ConfigKey TOPICS_PREFIX = new ConfigKey("topics.prefix", "letters, digits, '.', '_' or '-'", "concord",
            "Prefix of Concord's topics: <prefix>.changes.<dc> and <prefix>.dlq.<dc>.");
    public static final ConfigKey TOPICS_RF = new ConfigKey("topics.replication-factor", "an integer 1..10", "1",
            "Replication factor of a topic Concord creates; use 3 in production.");
    public static final ConfigKey TOPOLOGY_TYPE = new ConfigKey("topology.type", "mesh, star or ring", "mesh",
            "mesh: every DC consumes every peer. star: spokes consume the hub, the hub consumes all and forwards. ring: each DC consumes its upstream and forwards.");
    public static final ConfigKey TOPOLOGY_HUB = new ConfigKey("topology.hub", "a DC id", "",
            "The hub DC; required for star.");
    public static final ConfigKey TOPOLOGY_UPSTREAM = new ConfigKey("topology.upstream", "a DC id", "",
            "The DC this one consumes from; required for ring.");
    public static final ConfigKey PEERS = new ConfigKey("peers", "a list of DC ids", null,
            "The other DCs of the cluster (not this one).");
    public static final ConfigKey TABLES = new ConfigKey("tables", "a list of tables", null,
            "The replicated tables.");
    public static final ConfigKey TABLE_NAME = new ConfigKey("tables[].name", "schema.table or table (schema public), lower case", null,
            "A replicated table.");
    public static final ConfigKey TABLE_KEY = new ConfigKey("tables[].key", "a list of column names", "[]",
            "Key columns when the table has no primary key; defaults to the primary key. They must be NOT NULL, with a"
                    + " unique index of exactly them (`check` says so).");
    public static final ConfigKey TABLE_RESOLVER = new ConfigKey("tables[].resolver",
            "a resolver name, or a mapping with name and the resolver's own options", "lww",
            "How concurrent writes to a row are settled: lww, priority, merge, record, or a class name. Options go beside name, e.g. {name: priority, order: [us, eu]}.");
    public static final ConfigKey CAPTURE_SLOT = new ConfigKey("capture.slot", IDENTIFIER, "concord_<dc>",
            "Logical replication slot Concord reads.");
    public static final ConfigKey CAPTURE_PUBLICATION = new ConfigKey("capture.publication", IDENTIFIER, "concord",
            "Publication over the replicated tables.");
    public static final ConfigKey CAPTURE_HEARTBEAT = new ConfigKey("capture.heartbeat-interval", "a duration (500ms, 5s, 1m)", "5s",
            "How often a heartbeat is published; it also lets an idle slot advance.");
    public static final ConfigKey CAPTURE_BATCH = new ConfigKey("capture.max-batch-events", "an integer 1..1000000", "10000",
            "Most changes published before waiting for Kafka's acknowledgement and confirming the slot.");
    public static final ConfigKey CAPTURE_DELAY = new ConfigKey("capture.max-batch-delay", "a duration", "10ms",
            "How long capture keeps reading changes into a batch while more keep coming, before publishing it (it publishes at once when nothing more is pending, or when apply waits on a fence).");
    public static final ConfigKey APPLY_BATCH = new ConfigKey("apply.batch-size", "an integer 1..100000", "5000",
            "Most rows applied in one local transaction (a source transaction is never split).");
    public static final ConfigKey APPLY_DELAY = new ConfigKey("apply.max-batch-delay", "a duration", "0ms",
            "How long whole transactions wait, once the applier is free, for more to join their batch (0: none).");
    public static final ConfigKey APPLY_SESSIONS = new ConfigKey("apply.sessions", "an integer 1..8", "2",
            "Database sessions per peer that apply a large batch side by side, in parts committed in order (1: one session).");
    public static final ConfigKey HTTP_PORT = new ConfigKey("http.port", "an integer 0..65535", "8080",
            "Port of /metrics, /health and /ready; 0 turns the endpoint off.");

    public static final List<ConfigKey> ALL = List.of(DC, PG_URL, PG_USER, PG_PASSWORD, PG_POOL, KAFKA_BOOTSTRAP,
            KAFKA_PROPERTIES, TOPICS_PREFIX, TOPICS_RF, TOPOLOGY_TYPE, TOPOLOGY_HUB,
            TOPOLOGY_UPSTREAM, PEERS, TABLES, TABLE_NAME, TABLE_KEY, TABLE_RESOLVER, CAPTURE_SLOT,
            CAPTURE_PUBLICATION, CAPTURE_HEARTBEAT, CAPTURE_BATCH, CAPTURE_DELAY, APPLY_BATCH, APPLY_DELAY, APPLY_SESSIONS,
            HTTP_PORT);

    private ConfigKeys() {
    }

    /** The config reference as a Markdown table, generated from the definitions above. */
    public static String referenceMarkdown() {
        StringBuilder md = new StringBuilder("| key | value | default | what it does |\n|---|---|---|---|\n");
        for (ConfigKey key : ALL) {
            md.append("| `").append(key.path()).append("` | ").append(key.type()).append(" | ")
                    .append(key.required() ? "required" : key.defaultValue().isEmpty() ? "" : "`" + key.defaultValue() + "`")
                    .append(" | ").append(key.doc().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }
}
