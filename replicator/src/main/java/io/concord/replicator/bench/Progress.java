package io.concord.replicator.bench;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** One line per finished measurement, on the command's error stream, so that a long run shows it is alive. */
final class Progress {

    private final PrintWriter out;

    Progress(PrintWriter out) {
        this.out = out;
    }

    void log(String format, Object... arguments) {
        out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " bench: " + format.formatted(arguments));
        out.flush();
    }
}
