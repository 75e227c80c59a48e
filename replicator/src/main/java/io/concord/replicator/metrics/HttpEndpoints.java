package io.concord.replicator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}, {@code /health} and {@code /ready} on the JDK's HTTP server, on every interface (a
 * Prometheus server or a Kubernetes probe comes from elsewhere). Other paths answer 404, other methods 405.
 */
public final class HttpEndpoints implements AutoCloseable {

    /** The Prometheus text exposition format that {@code /metrics} answers in. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<String> metrics;
    private final HealthProbes probes;

    private HttpEndpoints(HttpServer server, String name, Supplier<String> metrics, HealthProbes probes) {
        this.server = server;
        this.metrics = metrics;
        this.probes = probes;
        // Two threads: a slow scrape (the slot lag query) does not hold up a liveness probe.
        this.executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Listens on {@code port} of every interface and serves until {@link #close()}.
     *
     * @param name     names the server's threads
     * @param metrics  the Prometheus text, made anew for each scrape
     * @throws IOException if the port cannot be bound (in use, or not allowed)
     */
    public static HttpEndpoints start(int port, String name, Supplier<String> metrics, HealthProbes probes)
            throws IOException {
        HttpEndpoints endpoints = new HttpEndpoints(HttpServer.create(new InetSocketAddress(port), 0), name, metrics,
                probes);
        endpoints.server.start();
        return endpoints;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** What an endpoint answers. */
    record Response(int status, String contentType, String body) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = respond(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString(), e);
                response = new Response(500, TEXT, "internal error: " + e + "\n");
            }
            if (response.status() == 405) {
                exchange.getResponseHeaders().set("Allow", "GET");
            }
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The answer to {@code method path}. */
    Response respond(String method, String path) {
        if (!path.equals("/metrics") && !path.equals("/health") && !path.equals("/ready")) {
            return new Response(404, TEXT, "no such endpoint: " + path + " (there are /metrics, /health, /ready)\n");
        }
        if (!method.equals("GET")) {
            return new Response(405, TEXT, method + " is not allowed on " + path + "; use GET\n");
        }
        if (path.equals("/metrics")) {
            return new Response(200, PROMETHEUS_TEXT, metrics.get());
        }
        HealthProbes.Answer answer = path.equals("/health") ? probes.health() : probes.readiness();
        return new Response(answer.status(), JSON, answer.body());
    }

    /** Stops listening; a request under way is cut short (the process is stopping). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
