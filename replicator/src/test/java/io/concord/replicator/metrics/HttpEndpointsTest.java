package io.concord.replicator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints over real HTTP on a loopback port, with canned metrics and part states. */
class HttpEndpointsTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicReference<String> metrics = new AtomicReference<>("concord_events_applied_total{dc=\"eu\"} 3.0\n");
    private final AtomicReference<PartState> apply = new AtomicReference<>(
            new PartState("REBALANCING", false, false));
    private HttpEndpoints endpoints;

    @BeforeEach
    void start() throws Exception {
        endpoints = HttpEndpoints.start(0, "http-test", () -> {
            String text = metrics.get();
            if (text == null) {
                throw new IllegalStateException("broken meter");
            }
            return text;
        }, new HealthProbes(() -> new PartState("active", true, false), apply::get));
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    @Test
    void metricsInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).isEqualTo("concord_events_applied_total{dc=\"eu\"} 3.0\n");
    }

    @Test
    void healthAndReadinessAsJson() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"capture\":\"active\",\"apply\":\"REBALANCING\"}");

        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"NOT_READY\",\"capture\":\"active\",\"apply\":\"REBALANCING\"}");
        apply.set(new PartState("RUNNING", true, false));
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(uri("/ready")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void aFailingScrapeIsA500AndTheServerGoesOn() throws Exception {
        metrics.set(null);
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("broken meter");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aPortInUseIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpEndpoints.start(endpoints.port(), "http-twice",
                () -> "", new HealthProbes(() -> PartState.NO_APPLY, () -> PartState.NO_APPLY)))
                .isInstanceOf(java.net.BindException.class);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + endpoints.port() + path);
    }
}
