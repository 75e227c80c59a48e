package io.concord.replicator.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Supplier;

/**
 * The answers of {@code /health} (liveness) and {@code /ready} (readiness), from the states of capture
 * and apply. Liveness fails only when a part stopped for good, the same condition that ends
 * {@code concord run}; readiness also waits for each part to be doing its job.
 */
public final class HealthProbes {

    /** An HTTP status and a JSON body naming the overall status and each part's state. */
    public record Answer(int status, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<PartState> capture;
    private final Supplier<PartState> apply;

    public HealthProbes(Supplier<PartState> capture, Supplier<PartState> apply) {
        this.capture = capture;
        this.apply = apply;
    }

    /** 200 {@code UP} unless a part failed for good, then 503 {@code DOWN}. */
    public Answer health() {
        PartState c = capture.get();
        PartState a = apply.get();
        boolean up = !c.failed() && !a.failed();
        return answer(up, up ? "UP" : "DOWN", c, a);
    }

    /** 200 {@code READY} when capture streams or stands by and apply runs; 503 {@code NOT_READY} otherwise. */
    public Answer readiness() {
        PartState c = capture.get();
        PartState a = apply.get();
        boolean ready = c.ready() && a.ready();
        return answer(ready, ready ? "READY" : "NOT_READY", c, a);
    }

    private static Answer answer(boolean ok, String status, PartState capture, PartState apply) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", status);
        body.put("capture", capture.name());
        body.put("apply", apply.name());
        return new Answer(ok ? 200 : 503, body.toString());
    }
}
