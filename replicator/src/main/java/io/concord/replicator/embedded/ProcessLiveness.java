package io.concord.replicator.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells whether a process still runs, counting a zombie (ended, not yet reaped) as ended.
 *
 * <p>PostgreSQL's postmaster is not our child: when it exits it waits as a zombie until the
 * machine's init reaps it, which on some machines takes more than a second, and
 * {@link ProcessHandle#isAlive()} says "alive" all that time.
 */
public final class ProcessLiveness {

    private ProcessLiveness() {
    }

    public static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            // Linux: the state is the first field after the command name, which is in parentheses.
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return process.isAlive();
        }
    }
}
