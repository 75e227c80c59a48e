package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.conflict.ConflictDecisionException;
import io.concord.replicator.conflict.ConflictDecisions;
import io.concord.replicator.conflict.ConflictQueries;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code concord conflicts list | show | resolve | dismiss}: the conflicts a resolver recorded, and people's decisions. */
@Command(name = "conflicts", mixinStandardHelpOptions = true,
        description = "Query the conflicts recorded in this DC (concord.conflicts) and decide them. A decision "
                + "replicates: it is taken in every DC that recorded the conflict.",
        subcommands = {ConflictsCommand.ListConflicts.class, ConflictsCommand.Show.class,
                ConflictsCommand.Resolve.class, ConflictsCommand.Dismiss.class},
        footer = {"", "Examples:", "  concord conflicts list -c concord.yaml --status open --since 1h",
                "  concord conflicts show -c concord.yaml 3f2a9c",
                "  concord conflicts resolve -c concord.yaml 3f2a9c --keep remote --note 'customer confirmed'",
                "  concord conflicts dismiss -c concord.yaml 3f2a9c"})
final class ConflictsCommand implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say what to do: list, show, resolve or dismiss");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List conflicts, newest first.",
            footer = {"", "Examples:", "  concord conflicts list -c concord.yaml",
                    "  concord conflicts list -c concord.yaml --table public.orders --status open --since 1h --limit 20",
                    "  concord conflicts list -c concord.yaml --json"})
    static final class ListConflicts implements Callable<Integer> {

        @Mixin
        ConfigOption configOption;

        @Spec
        CommandSpec spec;

        @Option(names = "--table", paramLabel = "SCHEMA.TABLE", description = "Only this table.")
        String table;

        @Option(names = "--status", paramLabel = "STATUS", defaultValue = "open",
                description = "open (default), resolved, dismissed or all.")
        String status;

        @Option(names = "--since", paramLabel = "DURATION", converter = Since.class,
                description = "Only conflicts detected this recently: 90s, 30m, 1h, 7d.")
        Duration since;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N (default 50).")
        int limit;

        @Option(names = "--json", description = "Print JSON, for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (!status.equals("all") && !ConflictQueries.STATUSES.contains(status)) {
                throw new ParameterException(spec.commandLine(), "--status must be open, resolved, dismissed or all, "
                        + "not '" + status + "'");
            }
            if (limit < 1) {
                throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
            }
            ConcordConfig config = configOption.load();
            String qualified = table == null || table.contains(".") ? table : "public." + table;
            List<ConflictQueries.Summary> conflicts;
            try (Connection connection = ConfigOption.connect(config)) {
                conflicts = ConflictQueries.list(connection, new ConflictQueries.Filter(Optional.ofNullable(qualified),
                        status.equals("all") ? Optional.empty() : Optional.of(status), Optional.ofNullable(since),
                        limit));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ConflictQueries.Summary c : conflicts) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", c.id());
                    row.put("detected_at", c.detectedAt().toString());
                    row.put("detected_in", c.detectedIn());
                    row.put("table", c.table());
                    row.put("primary_key", Json.MAPPER.readTree(c.key()));
                    row.put("conflict_type", c.type());
                    row.put("resolution", c.resolution());
                    row.put("status", c.status());
                    rows.add(row);
                }
                out.println(Json.pretty(rows));
                return 0;
            }
            TextTable text = new TextTable("ID", "DETECTED (UTC)", "IN", "TABLE", "KEY", "TYPE", "RESOLUTION", "STATUS");
            for (ConflictQueries.Summary c : conflicts) {
                text.row(c.id(), TIME.format(c.detectedAt().withOffsetSameInstant(ZoneOffset.UTC)), c.detectedIn(),
                        c.table(), c.key(), c.type(), c.resolution(), c.status());
            }
            if (!text.isEmpty()) {
                text.print(out);
            }
            out.println(conflicts.size() + (conflicts.size() == 1 ? " conflict" : " conflicts")
                    + (status.equals("all") ? "" : " " + status) + (qualified == null ? "" : " on " + qualified)
                    + (since == null ? "" : " in the last " + since.toString().substring(2).toLowerCase())
                    + (conflicts.size() == limit ? " (limit reached: --limit)" : ""));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one conflict whole: both rows, both versions, what was applied, its status.",
            footer = {"", "Example:", "  concord conflicts show -c concord.yaml 3f2a9c"})
    static final class Show implements Callable<Integer> {

        @Mixin
        ConfigOption configOption;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The conflict's id, or its first characters (at least 4).")
        String id;

        @Override
        public Integer call() throws Exception {
            ConcordConfig config = configOption.load();
            try (Connection connection = ConfigOption.connect(config)) {
                String full = ConflictQueries.fullId(connection, id);
                spec.commandLine().getOut().println(Json.pretty(ConflictQueries.show(connection, full).orElseThrow()));
                return 0;
            } catch (ConflictDecisionException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
        }
    }

    /** Who decides: {@code --by}, else the OS user. */
    static final class Decider {
        @Option(names = "--by", paramLabel = "NAME", description = "Who decides (default: the OS user name).")
        String by;

        @Option(names = "--note", paramLabel = "TEXT", description = "Why, for whoever reads the conflict later.")
        String note;

        String by() {
            return by != null ? by : System.getProperty("user.name", "unknown");
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = {"Resolve a conflict: write the row to keep in this DC, as the application would. Its new "
                    + "version dominates both sides, so every DC takes it; the conflict is marked resolved in "
                    + "every DC that recorded it.",
                    "local and remote are as `conflicts show` prints them in the DC you run this against."},
            footer = {"", "Examples:", "  concord conflicts resolve -c concord.yaml 3f2a9c --keep local",
                    "  concord conflicts resolve -c concord.yaml 3f2a9c --row '{\"status\": \"shipped\"}' --note 'checked'"})
    static final class Resolve implements Callable<Integer> {

        @Mixin
        ConfigOption configOption;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The conflict's id, or its first characters (at least 4).")
        String id;

        @ArgGroup(multiplicity = "1")
        Choice choice;

        static final class Choice {
            @Option(names = "--keep", paramLabel = "local|remote", required = true,
                    description = "Keep the local or the remote row (a deleted side deletes the row).")
            String keep;

            @Option(names = "--row", paramLabel = "JSON", required = true,
                    description = "Write this row: a JSON object of column → value; columns not given keep "
                            + "their current value (or their default, if the row is absent).")
            String row;
        }

        @Mixin
        Decider decider = new Decider();

        @Override
        public Integer call() throws Exception {
            ConflictDecisions.Keep keep;
            if (choice.row != null) {
                keep = ConflictDecisions.Keep.ROW;
            } else if (choice.keep.equals("local") || choice.keep.equals("remote")) {
                keep = ConflictDecisions.Keep.valueOf(choice.keep.toUpperCase());
            } else {
                throw new ParameterException(spec.commandLine(), "--keep must be local or remote, not '" + choice.keep
                        + "'");
            }
            ConcordConfig config = configOption.load();
            try (Connection connection = ConfigOption.connect(config)) {
                ConflictDecisions.Outcome outcome = new ConflictDecisions(config).resolve(connection, id, keep,
                        choice.row, decider.by(), decider.note);
                spec.commandLine().getOut().println("resolved conflict " + outcome.id() + " on " + outcome.table() + " "
                        + outcome.key() + ": " + outcome.written() + "; it replicates to every DC");
                return 0;
            } catch (ConflictDecisionException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
        }
    }

    @Command(name = "dismiss", mixinStandardHelpOptions = true,
            description = "Dismiss a conflict: keep the rows as the resolver left them; mark it dismissed in every DC.",
            footer = {"", "Example:", "  concord conflicts dismiss -c concord.yaml 3f2a9c --note 'expected: retry storm'"})
    static final class Dismiss implements Callable<Integer> {

        @Mixin
        ConfigOption configOption;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The conflict's id, or its first characters (at least 4).")
        String id;

        @Mixin
        Decider decider = new Decider();

        @Override
        public Integer call() throws Exception {
            ConcordConfig config = configOption.load();
            try (Connection connection = ConfigOption.connect(config)) {
                String full = new ConflictDecisions(config).dismiss(connection, id, decider.by(), decider.note);
                spec.commandLine().getOut().println("dismissed conflict " + full + "; every DC that recorded it "
                        + "marks it dismissed as the decision replicates");
                return 0;
            } catch (ConflictDecisionException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
        }
    }
}
