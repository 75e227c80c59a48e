package io.concord.replicator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.embedded.LoopbackPorts;
import io.concord.replicator.install.Installer;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two DCs as {@code concord run} runs them ({@link DcRuntime}), each serving its endpoints on a port of its
 * own: after rows and a conflict, {@code /metrics} tells what happened, {@code /health} and {@code /ready}
 * tell how the parts stand, all read over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndpointsIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TABLES = """
              - name: items
              - name: notes
                resolver: record
            """;
    private static final int ROWS_OF_A = 20;
    private static final int ROWS_OF_B = 10;

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Map<String, ConcordConfig> configs = new HashMap<>();
    private static final Map<String, DcRuntime> runtimes = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        for (String dc : List.of("a", "b")) {
            sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, name text); CREATE TABLE notes (id int4 PRIMARY KEY,"
                    + " body text)");
            ConcordConfig config = TestConfigs.parse(TestConfigs.yaml(cluster, dc, List.of(dc.equals("a") ? "b" : "a"),
                    TABLES, "http:\n  port: " + LoopbackPorts.reserve()));
            configs.put(dc, config);
            try (Connection connection = cluster.postgres(dc).connect()) {
                new Installer(config).install(connection, true);
            }
        }
        for (String dc : List.of("a", "b")) {
            runtimes.put(dc, DcRuntime.start(configs.get(dc)));
        }
    }

    @AfterAll
    static void stop() {
        runtimes.values().forEach(DcRuntime::close);
    }

    @Test
    @Order(1)
    void readyOnceCaptureAndApplyRun() {
        for (String dc : List.of("a", "b")) {
            await().atMost(WAIT).until(() -> get(dc, "/ready").statusCode() == 200);
            assertThat(get(dc, "/ready").body()).isEqualTo("{\"status\":\"READY\",\"capture\":\"active\","
                    + "\"apply\":\"RUNNING\"}");
            HttpResponse<String> health = get(dc, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).startsWith("{\"status\":\"UP\"");
        }
    }

    @Test
    @Order(2)
    void metricsCountWhatWasWrittenAppliedAndInConflict() throws Exception {
        sql("a", "INSERT INTO items SELECT g, 'a' || g FROM generate_series(1, " + ROWS_OF_A + ") g");
        sql("b", "INSERT INTO items SELECT g, 'b' || g FROM generate_series(1001, " + (1000 + ROWS_OF_B) + ") g");
        insertTheSameNoteInBothDcs();

        // Each DC's own rows and its note, captured; the other DC's, applied (the note as a settled conflict).
        awaitSample("a", "concord_events_captured_total", Map.of(), ROWS_OF_A + 1);
        awaitSample("b", "concord_events_captured_total", Map.of(), ROWS_OF_B + 1);
        awaitSample("b", "concord_events_applied_total", Map.of(), ROWS_OF_A + 1);
        awaitSample("a", "concord_events_applied_total", Map.of(), ROWS_OF_B + 1);
        for (String dc : List.of("a", "b")) {
            PrometheusSamples samples = scrape(dc);
            assertThat(samples.value("concord_events_published_total", Map.of("dc", dc)))
                    .as("a mesh DC publishes only its own").isEqualTo(samples.value("concord_events_captured_total",
                            Map.of("dc", dc)));
            assertThat(samples.value("concord_conflicts_total", Map.of("dc", dc, "table", "public.notes",
                    "type", "insert_insert"))).as("conflicts of " + dc).contains(1.0);
            assertThat(query(dc, "SELECT string_agg(conflict_type, ',') FROM concord.conflicts"))
                    .as("the conflict recorded in " + dc).isEqualTo("insert_insert");
            assertThat(samples.value("concord_dead_letters_total", Map.of("dc", dc, "stage", "apply"))).contains(0.0);
            assertThat(samples.value("concord_apply_batch_rows_count", Map.of("dc", dc))).hasValueSatisfying(
                    batches -> assertThat(batches).isGreaterThanOrEqualTo(1));
            assertThat(samples.value("concord_apply_batch_rows_sum", Map.of("dc", dc)))
                    .as("every applied event went through a batch").hasValueSatisfying(rows -> assertThat(rows)
                            .isGreaterThanOrEqualTo(dc.equals("a") ? ROWS_OF_B + 1 : ROWS_OF_A + 1));
            assertThat(samples.value("concord_apply_batch_seconds_count", Map.of("dc", dc)))
                    .isEqualTo(samples.value("concord_apply_batch_rows_count", Map.of("dc", dc)));
        }
    }

    @Test
    @Order(3)
    void peerLagAndSlotLagAreMeasured() {
        for (String dc : List.of("a", "b")) {
            String peer = dc.equals("a") ? "b" : "a";
            await().atMost(WAIT).until(() -> scrape(dc).value("concord_peer_lag_seconds", Map.of("peer", peer))
                    .filter(lag -> !lag.isNaN()).isPresent());
            assertThat(scrape(dc).value("concord_peer_lag_seconds", Map.of("dc", dc, "peer", peer)))
                    .as("heartbeats every 500 ms").hasValueSatisfying(lag -> assertThat(lag).isBetween(0.0, 60.0));
            Optional<Double> slotLag = scrape(dc).value("concord_capture_slot_lag_bytes", Map.of("dc", dc));
            assertThat(slotLag).hasValueSatisfying(bytes -> assertThat(bytes).isNotNaN().isGreaterThanOrEqualTo(0));
        }
    }

    @Test
    @Order(4)
    void onlyGetOnTheThreePaths() {
        assertThat(get("a", "/status").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("a", HttpRequest.newBuilder(uri("a", "/ready"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    @Order(5)
    void aSecondRuntimeOnTheSamePortIsRefusedBeforeItStartsAnything() {
        assertThatThrownBy(() -> DcRuntime.start(configs.get("a"))).isInstanceOf(HttpPortUnavailableException.class)
                .hasMessageContaining("http.port " + configs.get("a").http().port());
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("capture-a")))
                .as("only the first runtime's capture").hasSize(1);
    }

    @Test
    @Order(6)
    void notReadyOnceApplyIsStoppedAndStillAlive() {
        runtimes.get("b").apply().close();
        HttpResponse<String> ready = get("b", "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"NOT_READY\",\"capture\":\"active\",\"apply\":\"NOT_RUNNING\"}");
        assertThat(get("b", "/health").statusCode()).as("stopped is not failed").isEqualTo(200);
        assertThat(get("a", "/ready").statusCode()).isEqualTo(200);
    }

    /**
     * b's insert of note 1 is open while a's insert of it arrives and waits for the key; then b commits.
     * Neither DC saw the other's write: each settles an insert/insert conflict.
     */
    private static void insertTheSameNoteInBothDcs() throws Exception {
        try (Connection local = cluster.postgres("b").connect(); Statement statement = local.createStatement()) {
            local.setAutoCommit(false);
            statement.execute("INSERT INTO notes VALUES (1, 'from b')");
            sql("a", "INSERT INTO notes VALUES (1, 'from a')");
            await().atMost(WAIT).until(() -> Integer.parseInt(query("b",
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) > 0);
            local.commit();
        }
    }

    private static void awaitSample(String dc, String name, Map<String, String> labels, double expected) {
        await().atMost(WAIT).until(() -> scrape(dc).value(name, labels).filter(v -> v >= expected).isPresent());
        assertThat(scrape(dc).value(name, labels)).as(name + " of " + dc).contains(expected);
    }

    private static PrometheusSamples scrape(String dc) {
        HttpResponse<String> response = get(dc, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(HttpEndpoints.PROMETHEUS_TEXT);
        return PrometheusSamples.parse(response.body());
    }

    private static HttpResponse<String> get(String dc, String path) {
        return send(dc, HttpRequest.newBuilder(uri(dc, path)).GET());
    }

    private static HttpResponse<String> send(String dc, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("cannot reach the endpoints of DC " + dc + ": " + e, e);
        }
    }

    private static URI uri(String dc, String path) {
        return URI.create("http://127.0.0.1:" + configs.get(dc).http().port() + path);
    }

    private static void sql(String dc, String sql) throws Exception {
        new DcSql(cluster).sql(dc, sql);
    }

    private static String query(String dc, String sql) throws Exception {
        return new DcSql(cluster).query(dc, sql);
    }
}
