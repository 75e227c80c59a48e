package io.concord.replicator.config;

import static io.concord.replicator.config.ConfigKeys.*;

import io.concord.resolver.ResolverConfigException;
import io.concord.resolver.ResolverRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code concord.yaml}. Every error in the file is reported at once, each
 * with its key path, line, the bad value and what was expected; nothing is "fixed" silently.
 * Identifiers that end up in SQL or topic names are checked here, so later code may trust them.
 */
public final class ConfigLoader {

    /** DC ids, slot and publication names: safe unquoted in SQL and in topic names. */
    static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    /**
     * PostgreSQL identifiers as the catalog stores unquoted ones: lower case. A mixed-case name
     * would match nothing (PostgreSQL folds {@code Accounts} to {@code accounts}, Concord quotes
     * what it is given), so it is refused rather than guessed at.
     */
    static final Pattern SQL_NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");
    private static final Pattern QUALIFIED = Pattern.compile("(?:(" + SQL_NAME + ")\\.)?(" + SQL_NAME + ")");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql:.+");

    private static final ResolverRegistry RESOLVERS = ResolverRegistry.load();

    private final Function<String, String> environment;

    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** A loader that substitutes {@code ${VAR}} from the process environment. */
    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    public ConcordConfig load(Path file) throws InvalidConfigException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(ConfigError.invalid("", 0, file.toString(), "a readable file (" + e + ")")));
        }
    }

    public ConcordConfig parse(String yaml) throws InvalidConfigException {
        ConfigNode root = YamlReader.read(yaml);
        ValueReader in = new ValueReader(environment);
        in.rejectUnknown(root, Set.of("dc", "postgres", "kafka", "topics", "topology", "peers", "tables", "capture",
                "apply", "http"));

        String dc = in.matching(root, DC, ID);
        ConcordConfig.Postgres postgres = postgres(section(root, "postgres", in), in);
        ConcordConfig.Kafka kafka = kafka(section(root, "kafka", in), in);
        ConfigNode topicsNode = root.get("topics");
        in.rejectUnknown(topicsNode, Set.of("prefix", "replication-factor"));
        ConcordConfig.Topics topics = new ConcordConfig.Topics(in.matching(topicsNode, TOPICS_PREFIX, TOPIC_PREFIX),
                (short) in.integer(topicsNode, TOPICS_RF, 1, 10));
        List<String> peers = in.strings(root, PEERS, ID, ConfigKeys.IDENTIFIER);
        if (dc != null && peers.contains(dc)) {
            in.error(root.get("peers"), "the other DCs only, not this DC '" + dc + "'");
        }
        if (new HashSet<>(peers).size() != peers.size()) {
            in.error(root.get("peers"), "each peer once");
        }
        ConcordConfig.Topology topology = topology(root.get("topology"), dc, peers, in);
        List<ConcordConfig.Table> tables = tables(root, in);
        ConfigNode captureNode = root.get("capture");
        in.rejectUnknown(captureNode, Set.of("slot", "publication", "heartbeat-interval", "max-batch-events",
                "max-batch-delay"));
        String slot = captureNode != null && captureNode.get("slot") != null
                ? in.matching(captureNode, CAPTURE_SLOT, ID) : dc == null ? null : "concord_" + dc;
        ConcordConfig.Capture capture = new ConcordConfig.Capture(slot,
                in.matching(captureNode, CAPTURE_PUBLICATION, ID), in.duration(captureNode, CAPTURE_HEARTBEAT),
                in.integer(captureNode, CAPTURE_BATCH, 1, 1_000_000), in.duration(captureNode, CAPTURE_DELAY));
        ConfigNode applyNode = root.get("apply");
        in.rejectUnknown(applyNode, Set.of("batch-size", "max-batch-delay", "sessions"));
        ConcordConfig.Apply apply = new ConcordConfig.Apply(in.integer(applyNode, APPLY_BATCH, 1, 100_000),
                in.duration(applyNode, APPLY_DELAY), in.integer(applyNode, APPLY_SESSIONS, 1, 8));
        ConfigNode httpNode = root.get("http");
        in.rejectUnknown(httpNode, Set.of("port"));
        ConcordConfig.Http http = new ConcordConfig.Http(in.integer(httpNode, HTTP_PORT, 0, 65535));

        if (!in.errors().isEmpty()) {
            throw new InvalidConfigException(in.errors());
        }
        return new ConcordConfig(dc, postgres, kafka, topics, topology, List.copyOf(peers), tables, capture, apply, http);
    }

    private static ConfigNode section(ConfigNode root, String name, ValueReader in) {
        ConfigNode node = root.get(name);
        if (node == null || node.isNull()) {
            in.missing(name, 0, "a '" + name + "' section");
            return null;
        }
        return node;
    }

    private static ConcordConfig.Postgres postgres(ConfigNode node, ValueReader in) {
        if (node == null) {
            return null;
        }
        in.rejectUnknown(node, Set.of("url", "user", "password", "pool-size"));
        return new ConcordConfig.Postgres(in.matching(node, PG_URL, JDBC_URL), in.string(node, PG_USER),
                in.string(node, PG_PASSWORD), in.integer(node, PG_POOL, 1, 64));
    }

    private static ConcordConfig.Kafka kafka(ConfigNode node, ValueReader in) {
        if (node == null) {
            return null;
        }
        in.rejectUnknown(node, Set.of("bootstrap-servers", "properties"));
        Map<String, String> properties = new LinkedHashMap<>();
        ConfigNode props = node.get("properties");
        if (props != null && !props.isNull()) {
            if (props.kind() != ConfigNode.Kind.MAPPING) {
                in.error(props, KAFKA_PROPERTIES.type());
            } else {
                props.entries().forEach((key, value) -> {
                    String text = in.text(value, "a scalar value");
                    if (text != null) {
                        properties.put(key, text);
                    }
                });
            }
        }
        return new ConcordConfig.Kafka(in.string(node, KAFKA_BOOTSTRAP), Map.copyOf(properties));
    }

    private static ConcordConfig.Topology topology(ConfigNode node, String dc, List<String> peers, ValueReader in) {
        in.rejectUnknown(node, Set.of("type", "hub", "upstream"));
        String typeText = in.matching(node, TOPOLOGY_TYPE, Pattern.compile("mesh|star|ring"));
        ConcordConfig.TopologyType type = typeText == null ? ConcordConfig.TopologyType.MESH
                : ConcordConfig.TopologyType.valueOf(typeText.toUpperCase(java.util.Locale.ROOT));
        String hub = in.string(node, TOPOLOGY_HUB);
        String upstream = in.string(node, TOPOLOGY_UPSTREAM);
        List<String> all = new ArrayList<>(peers);
        if (dc != null) {
            all.add(dc);
        }
        if (type == ConcordConfig.TopologyType.STAR && !all.contains(hub)) {
            in.missing(TOPOLOGY_HUB.path(), node == null ? 0 : node.line(),
                    "the hub DC for a star topology, one of " + all + (hub.isEmpty() ? "" : " (got '" + hub + "')"));
        }
        if (type == ConcordConfig.TopologyType.RING && !peers.contains(upstream)) {
            in.missing(TOPOLOGY_UPSTREAM.path(), node == null ? 0 : node.line(),
                    "the upstream peer for a ring topology, one of " + peers + (upstream.isEmpty() ? "" : " (got '" + upstream + "')"));
        }
        return new ConcordConfig.Topology(type, hub, upstream);
    }

    private static List<ConcordConfig.Table> tables(ConfigNode root, ValueReader in) {
        ConfigNode node = in.child(root, TABLES);
        if (node == null) {
            return List.of();
        }
        if (node.kind() != ConfigNode.Kind.SEQUENCE || node.items().isEmpty()) {
            in.error(node, "a non-empty list of tables");
            return List.of();
        }
        List<ConcordConfig.Table> tables = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigNode item : node.items()) {
            in.rejectUnknown(item, Set.of("name", "key", "resolver"));
            if (item.kind() != ConfigNode.Kind.MAPPING) {
                continue;
            }
            String name = in.matching(item, TABLE_NAME, QUALIFIED);
            if (name == null && item.get("name") != null && item.get("name").text() != null
                    && QUALIFIED.matcher(item.get("name").text().toLowerCase(java.util.Locale.ROOT)).matches()) {
                in.add(new ConfigError(item.path() + ".name", item.get("name").line(), "write '"
                        + item.get("name").text().toLowerCase(java.util.Locale.ROOT)
                        + "': PostgreSQL stores unquoted names in lower case (quoted mixed-case names are not supported)"));
            }
            List<String> key = in.strings(item, TABLE_KEY, SQL_NAME, "a column name");
            ConcordConfig.Resolver resolver = resolver(item.get("resolver"), in);
            validateResolver(item, resolver, in);
            if (name == null) {
                continue;
            }
            var matcher = QUALIFIED.matcher(name);
            matcher.matches();
            String schema = matcher.group(1) == null ? "public" : matcher.group(1);
            String qualified = schema + "." + matcher.group(2);
            if (!seen.add(qualified)) {
                in.error(item.get("name"), "each table once (" + qualified + " is listed twice)");
            }
            tables.add(new ConcordConfig.Table(schema, matcher.group(2), key, resolver));
        }
        return List.copyOf(tables);
    }

    /** Each resolver checks its own options; its problems are reported like any other config error. */
    private static void validateResolver(ConfigNode item, ConcordConfig.Resolver resolver, ValueReader in) {
        if (resolver.name() == null) {
            return;
        }
        ConfigNode node = item.get("resolver");
        try {
            RESOLVERS.create(item.path() + ".resolver", resolver.name(), resolver.options());
        } catch (ResolverConfigException e) {
            e.problems().forEach(problem -> in.add(new ConfigError("", node.line(), problem)));
        }
    }

    private static ConcordConfig.Resolver resolver(ConfigNode node, ValueReader in) {
        if (node == null || node.isNull()) {
            return new ConcordConfig.Resolver(TABLE_RESOLVER.defaultValue(), Map.of());
        }
        if (node.kind() == ConfigNode.Kind.SCALAR) {
            return new ConcordConfig.Resolver(in.text(node, TABLE_RESOLVER.type()), Map.of());
        }
        if (node.kind() != ConfigNode.Kind.MAPPING || node.get("name") == null) {
            in.error(node, TABLE_RESOLVER.type());
            return new ConcordConfig.Resolver(TABLE_RESOLVER.defaultValue(), Map.of());
        }
        Map<String, Object> options = new LinkedHashMap<>();
        node.entries().forEach((key, value) -> {
            if (!key.equals("name")) {
                options.put(key, value.toPlain());
            }
        });
        return new ConcordConfig.Resolver(in.text(node.get("name"), "a resolver name"), options);
    }
}
