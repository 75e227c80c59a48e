/**
 * Metrics and health of one DC's runtime: Micrometer meters bound to the counters capture and apply keep,
 * served in the Prometheus text format on {@code /metrics}, with {@code /health} and {@code /ready}, on the
 * JDK's HTTP server at {@code http.port}.
 */
package io.concord.replicator.metrics;
