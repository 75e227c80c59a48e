package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.DeadLetterStore;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code concord dlq list | show | retry | discard}: what could not be replicated, and what to do with it. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "The dead letters of this DC (concord.dead_letters): events that could not be decoded or "
                + "applied, with the reason and the raw payload.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqCommand.Retry.class,
                DlqCommand.Discard.class},
        footer = {"", "Examples:", "  concord dlq list -c concord.yaml", "  concord dlq show -c concord.yaml 12",
                "  concord dlq retry -c concord.yaml 12", "  concord dlq retry -c concord.yaml --all",
                "  concord dlq discard -c concord.yaml 12"})
final class DlqCommand implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DeadLetterStore LETTERS = new DeadLetterStore();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say what to do: list, show, retry or discard");
    }

    private static Map<String, Object> json(DeadLetterStore.Stored letter) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", letter.id());
        row.put("failed_at", letter.failedAt().toString());
        row.put("status", letter.status());
        row.put("error_class", letter.errorClass());
        row.put("reason", letter.reason());
        row.put("source", letter.source() + ":" + letter.partition() + "@" + letter.offset());
        row.put("table", letter.table());
        row.put("payload_bytes", letter.payload() == null ? 0 : letter.payload().length);
        row.put("retried_at", letter.retriedAt() == null ? null : letter.retriedAt().toString());
        return row;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, newest first.",
            footer = {"", "Examples:", "  concord dlq list -c concord.yaml", "  concord dlq list -c concord.yaml --status all --json"})
    static final class ListLetters implements Callable<Integer> {

        @Mixin
        ConfigOption configOption;

        @Spec
        CommandSpec spec;

        @Option(names = "--status", paramLabel = "STATUS", defaultValue = "new",
                description = "new (default), retry, retried, discarded or all.")
        String status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N (default 50).")
        int limit;

        @Option(names = "--json", description = "Print JSON, for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (!List.of("new", "retry", "retried", "discarded", "all").contains(status)) {
                throw new ParameterException(spec.commandLine(),
                        "--status must be new, retry, retried, discarded or all, not '" + status + "'");
            }
            ConcordConfig config = configOption.load();
            List<DeadLetterStore.Stored> letters;
            try (Connection connection = ConfigOption.connect(config)) {
                letters = LETTERS.list(connection, status.equals("all") ? null : status, limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                letters.forEach(letter -> rows.add(DlqCommand.json(letter)));
                out.println(Json.pretty(rows));
                return 0;
            }
            TextTable text = new TextTable("ID", "FAILED (UTC)", "STATUS", "CLASS", "SOURCE", "TABLE", "REASON");
            for (DeadLetterStore.Stored letter : letters) {
                text.row(letter.id(), TIME.format(letter.failedAt().withOffsetSameInstant(ZoneOffset.UTC)),
                        letter.status(), letter.errorClass(), letter.source() + ":" + letter.partition() + "@"
                                + letter.offset(), letter.table(), letter.reason());
            }
            if (!text.isEmpty()) {
                text.print(out);
            }
            out.println(letters.size() + (letters.size() == 1 ? " dead letter" : " dead letters")
                    + (status.equals("all") ? "" : " " + status) + (letters.isEmpty() ? "" : "; the whole reason: "
                    + "concord dlq show -c " + configOption.file + " ID"));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one dead letter whole.",
            footer = {"", "Example:", "  concord dlq show -c concord.yaml 12"})
    static final class Show implements Callable<Integer> {

        @Mixin
        ConfigOption configOption;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The dead letter's id.")
        long id;

        @Override
        public Integer call() throws Exception {
            ConcordConfig config = configOption.load();
            try (Connection connection = ConfigOption.connect(config)) {
                DeadLetterStore.Stored letter = LETTERS.get(connection, id).orElseThrow(
                        () -> new UserFacingException("no dead letter " + id + " in DC " + config.dc(), null));
                spec.commandLine().getOut().println(Json.pretty(json(letter)));
                return 0;
            }
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = {"Retry dead letters: the running replicator of this DC (`concord run`) takes each in again "
                    + "through its apply, where versions make a late event safe (applied, settled as a conflict, or "
                    + "skipped as superseded). Fix the cause first (the table, column or constraint named in the reason).",
                    "Waits for the outcome (--wait); a letter that fails again is back to new with the new reason."},
            footer = {"", "Examples:", "  concord dlq retry -c concord.yaml 12", "  concord dlq retry -c concord.yaml --all --wait 60s"})
    static final class Retry implements Callable<Integer> {

        @Mixin
        ConfigOption configOption;

        @Spec
        CommandSpec spec;

        @ArgGroup(multiplicity = "1")
        Which which;

        static final class Which {
            @Parameters(paramLabel = "ID", description = "The dead letter's id.")
            Long id;

            @Option(names = "--all", required = true, description = "Every new dead letter that came from a topic.")
            boolean all;
        }

        @Option(names = "--wait", paramLabel = "DURATION", converter = Since.class, defaultValue = "30s",
                description = "How long to wait for the outcome (default 30s; 0s: do not wait).")
        Duration wait;

        @Override
        public Integer call() throws Exception {
            ConcordConfig config = configOption.load();
            PrintWriter out = spec.commandLine().getOut();
            try (Connection connection = ConfigOption.connect(config)) {
                List<Long> ids = new ArrayList<>();
                if (which.all) {
                    for (DeadLetterStore.Stored letter : LETTERS.list(connection, "new", Integer.MAX_VALUE)) {
                        if (letter.fromTopic() && LETTERS.requestRetry(connection, letter.id())) {
                            ids.add(letter.id());
                        }
                    }
                } else {
                    Optional<DeadLetterStore.Stored> letter = LETTERS.get(connection, which.id);
                    if (letter.isEmpty()) {
                        throw new UserFacingException("no dead letter " + which.id + " in DC " + config.dc(), null);
                    }
                    if (!letter.get().fromTopic()) {
                        throw new UserFacingException("dead letter " + which.id + " came from local capture ("
                                + letter.get().source() + "), not from a peer: there is nothing to apply again", null);
                    }
                    if (!LETTERS.requestRetry(connection, which.id)) {
                        throw new UserFacingException("dead letter " + which.id + " is " + letter.get().status()
                                + "; only a new one can be retried", null);
                    }
                    ids.add(which.id);
                }
                if (ids.isEmpty()) {
                    out.println("no new dead letters to retry");
                    return 0;
                }
                out.println("asked to retry " + ids.size() + (ids.size() == 1 ? " dead letter" : " dead letters"));
                return await(connection, ids, out);
            }
        }

        private int await(Connection connection, List<Long> ids, PrintWriter out) throws Exception {
            long deadline = System.nanoTime() + wait.toNanos();
            List<Long> waiting = new ArrayList<>(ids);
            int failed = 0;
            while (true) {
                for (var it = waiting.iterator(); it.hasNext(); ) {
                    DeadLetterStore.Stored letter = LETTERS.get(connection, it.next()).orElseThrow();
                    if (letter.status().equals("retried")) {
                        out.println("  " + letter.id() + ": retried");
                        it.remove();
                    } else if (letter.status().equals("new")) {
                        out.println("  " + letter.id() + ": failed again: " + letter.reason());
                        failed++;
                        it.remove();
                    }
                }
                if (waiting.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(200);
            }
            if (!waiting.isEmpty()) {
                out.println("  " + waiting + ": not taken in yet; `concord run` takes them in when it runs "
                        + "(see concord dlq list --status retry)");
            }
            out.flush();
            return failed > 0 || !waiting.isEmpty() ? 1 : 0;
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = "Discard a dead letter: keep it for the record, never retry it.",
            footer = {"", "Example:", "  concord dlq discard -c concord.yaml 12"})
    static final class Discard implements Callable<Integer> {

        @Mixin
        ConfigOption configOption;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The dead letter's id.")
        long id;

        @Override
        public Integer call() throws Exception {
            ConcordConfig config = configOption.load();
            try (Connection connection = ConfigOption.connect(config)) {
                Optional<DeadLetterStore.Stored> letter = LETTERS.get(connection, id);
                if (letter.isEmpty()) {
                    throw new UserFacingException("no dead letter " + id + " in DC " + config.dc(), null);
                }
                if (!LETTERS.discard(connection, id)) {
                    throw new UserFacingException("dead letter " + id + " is " + letter.get().status()
                            + "; only a new one can be discarded", null);
                }
                spec.commandLine().getOut().println("discarded dead letter " + id);
                return 0;
            }
        }
    }
}
