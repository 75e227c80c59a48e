package io.concord.replicator.testing;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.config.ConfigLoader;
import io.concord.replicator.config.InvalidConfigException;
import io.concord.replicator.embedded.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * concord.yaml files for tests, written as a user would write them and read through the real
 * loader, so that tests exercise the same path as {@code concord run --config}.
 */
public final class TestConfigs {

    private TestConfigs() {
    }

    /**
     * The YAML of DC {@code dc} of {@code cluster}, with the given peers and a {@code tables:}
     * block (YAML list items, indented by two spaces). The HTTP endpoints are off ({@code http.port: 0})
     * unless {@code extra} has an {@code http:} block: DCs of one test, and tests run side by side, would
     * otherwise all want port 8080.
     */
    public static String yaml(ClusterFixture cluster, String dc, List<String> peers, String tables, String extra) {
        String more = extra == null ? "" : extra;
        if (!more.startsWith("http:") && !more.contains("\nhttp:")) {
            more = more + (more.isEmpty() || more.endsWith("\n") ? "" : "\n") + "http:\n  port: 0\n";
        }
        PostgresServer pg = cluster.postgres(dc);
        return """
                dc: %s
                postgres:
                  url: %s
                  user: %s
                  password: %s
                kafka:
                  bootstrap-servers: %s
                peers: [%s]
                capture:
                  heartbeat-interval: 500ms
                tables:
                %s
                %s
                """.formatted(dc, pg.jdbcUrl(), pg.user(), pg.password(), cluster.kafka().bootstrapServers(),
                String.join(", ", peers), tables.stripTrailing(), more);
    }

    public static ConcordConfig parse(String yaml) throws InvalidConfigException {
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml);
    }

    /** Writes the YAML to a file for a child process. */
    public static Path write(Path file, String yaml) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml);
    }
}
