package io.concord.deploy;

import io.concord.replicator.config.ConcordConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The MirrorMaker 2 configuration of a compose file where each DC has its own Kafka cluster: every cluster is
 * a Kafka service of the file; topic names are kept (the identity policy), since Concord subscribes to
 * {@code <prefix>.changes.<peer>} by name; every DC's changes reach each cluster where a DC consumes them;
 * no flow copies a copy (under identity names MirrorMaker cannot stop that cycle); and every source is read
 * with {@code read_committed}, so that batches Concord aborted are never copied.
 */
final class MirrorMakerConfigCheck {

    static final String IDENTITY_POLICY = "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";
    private static final String MIRROR_MAKER_SCRIPT = "connect-mirror-maker.sh";

    private MirrorMakerConfigCheck() {
    }

    static void check(DeployTree tree, ComposeCheck.Deployment deployment, Problems problems) {
        ComposeFile.Service service = deployment.services().stream()
                .filter(s -> s.node().path("command").toString().contains(MIRROR_MAKER_SCRIPT)).findFirst().orElse(null);
        if (service == null) {
            problems.add(deployment.where(), "runs no MirrorMaker 2 (" + MIRROR_MAKER_SCRIPT + "), yet its DCs use"
                    + " separate Kafka clusters");
            return;
        }
        String at = deployment.where() + " services." + service.name();
        String command = service.node().path("command").toString();
        ComposeFile.Mount mount = service.mounts().stream().filter(m -> command.contains("\"" + m.target() + "\""))
                .findFirst().orElse(null);
        Path file = mount == null ? null : tree.deploy().resolve(mount.source()).normalize();
        if (file == null || !Files.isRegularFile(file)) {
            problems.add(at, "the properties file its command names is not mounted from deploy/");
            return;
        }
        check(tree.name(file), tree.properties(file), deployment, service, problems);
    }

    private static void check(String where, Properties mm2, ComposeCheck.Deployment deployment,
            ComposeFile.Service service, Problems problems) {
        List<String> clusters = Arrays.stream(mm2.getProperty("clusters", "").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        Map<String, String> bootstrap = new TreeMap<>();
        for (String cluster : clusters) {
            String servers = mm2.getProperty(cluster + ".bootstrap.servers", "");
            bootstrap.put(cluster, servers);
            for (String server : servers.split(",")) {
                String[] hostPort = server.strip().split(":");
                if (hostPort.length != 2 || !deployment.advertises(hostPort[0], Integer.parseInt(hostPort[1]))) {
                    problems.add(where, cluster + ".bootstrap.servers " + server.strip()
                            + " is not a Kafka service of " + deployment.where());
                } else if (!service.dependsOn().contains(hostPort[0])) {
                    problems.add(where, "its service does not depend_on " + hostPort[0]);
                }
            }
        }
        if (!IDENTITY_POLICY.equals(mm2.getProperty("replication.policy.class"))) {
            problems.add(where, "replication.policy.class must be " + IDENTITY_POLICY + ": under the default"
                    + " policy a copy of concord.changes.a is named a.concord.changes.a, which no Concord reads");
        }
        Map<String, String> home = new TreeMap<>();
        deployment.concordByDc().forEach((dc, concord) -> {
            String cluster = clusters.stream()
                    .filter(c -> bootstrap.get(c).equals(concord.config().kafka().bootstrapServers())).findFirst()
                    .orElse(null);
            if (cluster == null) {
                problems.add(where, "no cluster has the bootstrap servers of DC " + dc + " ("
                        + concord.config().kafka().bootstrapServers() + ")");
            } else {
                home.put(dc, cluster);
            }
        });
        for (String source : clusters) {
            for (String target : clusters) {
                if (!source.equals(target)) {
                    checkFlow(where, mm2, source, target, home, deployment, problems);
                }
            }
        }
    }

    private static void checkFlow(String where, Properties mm2, String source, String target, Map<String, String> home,
            ComposeCheck.Deployment deployment, Problems problems) {
        String flow = source + "->" + target;
        boolean enabled = Boolean.parseBoolean(mm2.getProperty(flow + ".enabled", "false"));
        List<Pattern> topics = Arrays.stream(mm2.getProperty(flow + ".topics", mm2.getProperty("topics", ".*"))
                .split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Pattern::compile).toList();
        for (Map.Entry<String, ComposeCheck.ConcordService> entry : deployment.concordByDc().entrySet()) {
            String dc = entry.getKey();
            ConcordConfig config = entry.getValue().config();
            String topic = config.topics().changes(dc);
            boolean copied = enabled && topics.stream().anyMatch(p -> p.matcher(topic).matches());
            boolean consumedOnTarget = deployment.concordByDc().values().stream()
                    .anyMatch(other -> target.equals(home.get(other.config().dc()))
                            && other.config().sources().contains(dc));
            if (source.equals(home.get(dc)) && consumedOnTarget && !copied) {
                problems.add(where, "no flow copies " + topic + " from cluster " + source + " to " + target
                        + ", where a DC consumes it (set " + flow + ".enabled and " + flow + ".topics)");
            }
            if (copied && !source.equals(home.get(dc))) {
                problems.add(where, flow + " copies " + topic + ", but DC " + dc + " publishes it on cluster "
                        + home.get(dc) + ": that copies a copy, and under identity names MirrorMaker cannot stop"
                        + " the cycle");
            }
        }
        if (enabled && !"read_committed".equals(mm2.getProperty(source + ".consumer.isolation.level",
                mm2.getProperty("consumer.isolation.level")))) {
            problems.add(where, source + ".consumer.isolation.level must be read_committed: Concord publishes in"
                    + " Kafka transactions, and MirrorMaker would copy an aborted batch as ordinary records");
        }
    }
}
