package io.concord.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps {@code deploy/} honest without Docker: every YAML file parses, and the Dockerfile, both compose files,
 * the MirrorMaker 2 config, the Kubernetes manifests and the example concord.yaml files agree with each other
 * and with Concord ({@link DeployChecks}). Each check is shown to fail on a copy with one thing broken.
 */
class DeployFilesTest {

    private static final DeployTree CHECKOUT = DeployTree.ofThisCheckout();

    /** One thing broken in a copy of the files: the first {@code from} in {@code file} becomes {@code to}. */
    record Breakage(String what, String file, String from, String to, String expected) {
        @Override
        public String toString() {
            return what;
        }
    }

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files = CHECKOUT.yamlFiles();
        assertThat(files).extracting(CHECKOUT::name).contains("deploy/compose.yaml", "deploy/compose.shared-kafka.yaml",
                "deploy/config/a/concord.yaml", "deploy/k8s/concord-a.yaml", "deploy/k8s/kustomization.yaml");
        for (Path file : files) {
            assertThat(CHECKOUT.yaml(file)).as(CHECKOUT.name(file)).isNotEmpty();
        }
    }

    @Test
    void theDeployFilesAgreeWithEachOtherAndWithConcord() throws IOException {
        assertThat(DeployChecks.run(CHECKOUT)).isEmpty();
    }

    /** What the breakages below start from: a copy passes as the checkout does. */
    @Test
    void anUnbrokenCopyPasses(@TempDir Path directory) throws IOException {
        assertThat(DeployChecks.run(RepositoryCopy.of(CHECKOUT, directory))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void aBrokenCopyIsCaught(Breakage breakage, @TempDir Path directory) throws IOException {
        DeployTree copy = RepositoryCopy.of(CHECKOUT, directory);
        Path file = copy.file(breakage.file());
        String text = Files.readString(file);
        assertThat(text).as(breakage.file()).contains(breakage.from());
        int at = text.indexOf(breakage.from());
        Files.writeString(file, text.substring(0, at) + breakage.to() + text.substring(at + breakage.from().length()));

        assertThat(DeployChecks.run(copy)).anySatisfy(problem -> assertThat(problem).contains(breakage.expected()));
    }

    static Stream<Breakage> breakages() {
        String passwordA = "POSTGRES_PASSWORD: ${PG_PASSWORD_A:?set PG_PASSWORD_A in deploy/.env (see .env.example)}";
        String passwordB = "POSTGRES_PASSWORD: ${PG_PASSWORD_B:?set PG_PASSWORD_B in deploy/.env (see .env.example)}";
        return Stream.of(
                new Breakage("YAML syntax", "compose.yaml", "services:", "services: [", "is not valid YAML"),
                // compose
                new Breakage("compose: a password inline", "compose.yaml", passwordA + "\n      KAFKA_BOOTSTRAP",
                        "POSTGRES_PASSWORD: change-me-a\n      KAFKA_BOOTSTRAP",
                        "services.concord-a: environment POSTGRES_PASSWORD is a secret written inline"),
                new Breakage("compose: an env var concord.yaml needs is missing", "compose.yaml",
                        "      KAFKA_BOOTSTRAP_SERVERS: kafka-b:9092\n", "",
                        "needs ${KAFKA_BOOTSTRAP_SERVERS}, and the environment does not set"),
                new Breakage("compose: an env var concord.yaml does not use", "compose.yaml",
                        "KAFKA_BOOTSTRAP_SERVERS: kafka-c:9092", "KAFKA_BOOTSTRAP_SERVERS: kafka-c:9092\n      CONCORD_DC: c",
                        "environment CONCORD_DC is not used by deploy/config/c/concord.yaml"),
                new Breakage("compose: the published port is not http.port", "compose.yaml", "\"8081:8080\"",
                        "\"8081:9090\"", "publishes container ports [9090], not http.port 8080"),
                new Breakage("compose: a build context that does not exist", "compose.shared-kafka.yaml",
                        "context: ..\n", "context: ../nowhere\n", "build context"),
                new Breakage("compose: a concord.yaml that does not exist", "compose.yaml", "./config/c/concord.yaml:",
                        "./config/x/concord.yaml:", "mounts ./config/x/concord.yaml, which does not exist"),
                new Breakage("compose: Kafka advertises another port", "compose.yaml",
                        "KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka-b:9092", "KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka-b:9094",
                        "kafka.bootstrap-servers kafka-b:9092 is not a Kafka service"),
                new Breakage("compose: another database", "compose.yaml", "POSTGRES_DB: app", "POSTGRES_DB: shop",
                        "postgres.url database app is not postgres-a's POSTGRES_DB shop"),
                new Breakage("compose: Concord does not wait for its PostgreSQL", "compose.yaml",
                        "      postgres-c:\n        condition: service_healthy\n", "", "does not depend_on postgres-c"),
                new Breakage("compose: a variable .env.example lacks", ".env.example", "PG_PASSWORD_C=change-me-c\n", "",
                        "needs ${PG_PASSWORD_C}, which deploy/.env.example does not define"),
                new Breakage("compose: Concord gets another DC's password", "compose.yaml",
                        passwordB + "\n      KAFKA_BOOTSTRAP", passwordA + "\n      KAFKA_BOOTSTRAP",
                        "its postgres.password is not the one postgres-b is created with"),
                new Breakage("compose: a broker with Kafka's 20 ms transaction retry", "compose.shared-kafka.yaml",
                        "      KAFKA_ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS: 1\n", "",
                        "is a Kafka broker without KAFKA_ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS: 1"),
                new Breakage("compose: an image without a version", "compose.yaml", "image: postgres:17",
                        "image: postgres", "image postgres is not pinned"),
                // concord.yaml
                new Breakage("concord.yaml: a key Concord does not have", "config/a/concord.yaml", "  port: 8080",
                        "  port: 8080\n  bind: 0.0.0.0", "key 'http.bind' is not a Concord config key"),
                new Breakage("concord.yaml: a password inline", "config/b/concord.yaml", "password: ${POSTGRES_PASSWORD}",
                        "password: change-me-b", "postgres.password is written in concord.yaml"),
                new Breakage("concord.yaml: a peer missing", "config/c/concord.yaml", "peers: [a, b]", "peers: [a]",
                        "peers [a] are not the other DCs of this file [a, b]"),
                new Breakage("concord.yaml: a value Concord refuses", "config/a/concord.yaml", "resolver: record",
                        "resolver: newest", "fails Concord's validation"),
                new Breakage("concord.yaml: another http.port", "config/b/concord.yaml", "port: 8080", "port: 9090",
                        "the image's health check asks port 8080, but http.port is 9090"),
                // MirrorMaker 2
                new Breakage("mm2: a source read uncommitted", "mirrormaker/mm2.properties",
                        "b.consumer.isolation.level = read_committed\n", "",
                        "b.consumer.isolation.level must be read_committed"),
                new Breakage("mm2: a flow that copies copies", "mirrormaker/mm2.properties",
                        "a->b.topics = concord.changes.a", "a->b.topics = concord.changes.*",
                        "a->b copies concord.changes.b, but DC b publishes it on cluster b"),
                new Breakage("mm2: the default replication policy", "mirrormaker/mm2.properties",
                        "replication.policy.class = ", "#replication.policy.class = ",
                        "replication.policy.class must be"),
                new Breakage("mm2: a flow missing", "mirrormaker/mm2.properties", "c->a.enabled = true",
                        "c->a.enabled = false", "no flow copies concord.changes.c from cluster c to a"),
                new Breakage("mm2: a cluster that is not a Kafka service", "mirrormaker/mm2.properties",
                        "c.bootstrap.servers = kafka-c:9092", "c.bootstrap.servers = kafka-c:19092",
                        "c.bootstrap.servers kafka-c:19092 is not a Kafka service"),
                // Kubernetes
                new Breakage("k8s: readiness on /health", "k8s/concord-a.yaml", "path: /ready", "path: /health",
                        "readinessProbe must GET /ready"),
                new Breakage("k8s: a probe on another port", "k8s/concord-b.yaml", "port: http", "port: 9090",
                        "livenessProbe asks port 9090, not http.port 8080"),
                new Breakage("k8s: a password inline", "k8s/concord-c.yaml",
                        "valueFrom:\n                secretKeyRef:\n                  name: concord-c\n"
                                + "                  key: postgres-password", "value: hunter2",
                        "environment POSTGRES_PASSWORD is a secret written inline; take it from a Secret"),
                new Breakage("k8s: one replica", "k8s/concord-a.yaml", "replicas: 2", "replicas: 1", "replicas is 1"),
                new Breakage("k8s: Prometheus scrapes another port", "k8s/concord-b.yaml", "prometheus.io/port: \"8080\"",
                        "prometheus.io/port: \"9404\"", "prometheus.io/port is 9404"),
                new Breakage("k8s: no cpu request", "k8s/concord-c.yaml", "              cpu: 500m\n", "",
                        "resources.requests must set cpu and memory"),
                new Breakage("k8s: a ConfigMap that does not exist", "k8s/concord-a.yaml",
                        "            name: concord-a\n            items:", "            name: concord-x\n            items:",
                        "mounts ConfigMap concord-x key concord.yaml"),
                new Breakage("k8s: another image", "k8s/concord-b.yaml", "image: concord:dev", "image: concord:latest",
                        "image concord:latest is not the image compose builds"),
                new Breakage("k8s: a real secret committed", "k8s/secrets.example.yaml", "postgres-password: CHANGE_ME",
                        "postgres-password: s3cret", "is not the placeholder CHANGE_ME"),
                new Breakage("k8s: a manifest not in the kustomization", "k8s/kustomization.yaml", "  - concord-c.yaml\n",
                        "", "concord-c.yaml is not among its resources"),
                new Breakage("k8s: a ConfigMap's concord.yaml with a wrong key", "k8s/concord-a.yaml",
                        "      port: 8080", "      port: 8080\n      bind: 0.0.0.0", "key 'http.bind' is not a Concord config key"),
                new Breakage("k8s: the Secret key is not the example's", "k8s/concord-b.yaml", "key: postgres-password",
                        "key: password", "comes from Secret key concord-b/password"),
                // Dockerfile
                new Breakage("Dockerfile: runs as root", "Dockerfile", "USER 10001:10001", "USER root",
                        "the runtime stage runs as root"),
                new Breakage("Dockerfile: health check on another path", "Dockerfile", "GET /health ", "GET /status ",
                        "HEALTHCHECK must GET /health"),
                new Breakage("Dockerfile: a module's pom not copied", "Dockerfile",
                        "COPY deploy/mm2-runtime/pom.xml deploy/mm2-runtime/\n", "",
                        "module deploy/mm2-runtime (in the parent pom) is not copied"),
                new Breakage("Dockerfile: CMD reads another path", "Dockerfile", "\"--config\", \"/etc/concord/concord.yaml\"",
                        "\"--config\", \"/config/concord.yaml\"", "mounts no concord.yaml at /config/concord.yaml"),
                new Breakage("Dockerfile: copies a path that does not exist", "Dockerfile",
                        "COPY replicator/src replicator/src", "COPY replicator/source replicator/src",
                        "COPY replicator/source: no such path"),
                new Breakage("Dockerfile: a JDK at runtime", "Dockerfile", "FROM eclipse-temurin:17-jre",
                        "FROM eclipse-temurin:17-jdk", "the runtime stage should start FROM a JRE image"),
                new Breakage("Dockerfile: exposes another port", "Dockerfile", "EXPOSE 8080", "EXPOSE 9090",
                        "does not include the health check's port 8080"),
                new Breakage("Dockerfile: another main class", "Dockerfile", "io.concord.replicator.cli.ConcordCli\"]",
                        "io.concord.Main\"]", "ENTRYPOINT must run io.concord.replicator.cli.ConcordCli"),
                new Breakage("an example concord.yaml nobody runs", "compose.yaml",
                        "./config/c/concord.yaml:", "./config/b/concord.yaml:", "no service of compose.yaml runs DC c"));
    }
}
