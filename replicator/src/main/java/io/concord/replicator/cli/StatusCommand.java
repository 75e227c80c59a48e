package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code concord status}: where this DC's capture and apply stand, per peer. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show where this DC stands: capture (slot, LSN, WAL not yet captured), apply per peer (position, "
                + "events behind, last batch, heartbeat lag), open conflicts and dead letters. Reads the database and "
                + "Kafka; works whether or not `concord run` is running.",
        footer = {"", "Examples:", "  concord status -c concord.yaml", "  concord status -c concord.yaml --json"})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOption configOption;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ConcordConfig config = configOption.load();
        DcStatus status;
        try (Connection connection = ConfigOption.connect(config)) {
            status = new DcStatusReader(config).read(connection);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(status));
            return 0;
        }
        DcStatus.Capture capture = status.capture();
        out.println("DC " + status.dc());
        out.println("  capture: slot " + capture.slot() + (!capture.slotExists() ? " does not exist (run concord install)"
                : (capture.slotActive() ? " streaming" : " idle (no concord run attached)") + ", confirmed "
                        + capture.confirmedLsn() + ", " + bytes(capture.slotLagBytes()) + " of WAL not captured yet"));
        if (capture.publishedLsn() != null) {
            out.println("           published up to " + capture.publishedLsn() + " (epoch " + capture.epoch() + ", "
                    + ago(capture.progressUpdatedAt()) + ")");
        }
        // BEHIND counts every record after the apply position: events, and Kafka's transaction markers (one
        // per capture transaction) and heartbeats; an idle, caught-up DC shows 0 or 1.
        TextTable peers = new TextTable("PEER", "TOPIC", "APPLIED UP TO", "BEHIND", "LAST BATCH", "HEARTBEAT LAG",
                "LAST HEARTBEAT");
        for (DcStatus.Peer peer : status.peers()) {
            peers.row(peer.peer(), peer.consumed() ? peer.topic() : "(via the topology)",
                    peer.nextOffset() == null ? "nothing yet" : "offset " + peer.nextOffset(),
                    peer.behind() == null ? "?" : peer.behind() + " records", ago(peer.lastAppliedAt()),
                    peer.heartbeatLagMillis() == null ? "?" : peer.heartbeatLagMillis() + " ms",
                    ago(peer.lastHeartbeatAt()));
        }
        if (!peers.isEmpty()) {
            out.println();
            peers.print(out);
        }
        if (status.kafkaProblem() != null) {
            out.println("  (events behind unknown: " + status.kafkaProblem() + ")");
        }
        out.println();
        out.println("conflicts open: " + status.openConflicts() + (status.openConflicts() > 0
                ? "  (concord conflicts list -c " + configOption.file + ")" : ""));
        out.println("dead letters:   " + status.newDeadLetters() + (status.newDeadLetters() > 0
                ? "  (concord dlq list -c " + configOption.file + ")" : ""));
        out.flush();
        return 0;
    }

    private static String bytes(Long bytes) {
        if (bytes == null) {
            return "?";
        }
        return bytes < 1024 ? bytes + " B" : bytes < 1 << 20 ? bytes / 1024 + " kB" : bytes / (1 << 20) + " MB";
    }

    private static String ago(String time) {
        if (time == null) {
            return "never";
        }
        long seconds = Duration.between(OffsetDateTime.parse(time).toInstant(), Instant.now()).toSeconds();
        return seconds < 120 ? seconds + " s ago" : seconds < 7200 ? seconds / 60 + " min ago" : seconds / 3600 + " h ago";
    }
}
