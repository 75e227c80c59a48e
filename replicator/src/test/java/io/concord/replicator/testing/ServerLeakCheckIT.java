package io.concord.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.replicator.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check sees a running PostgreSQL (which is not our child process) and a running child process, and passes once they are gone. */
class ServerLeakCheckIT {

    @Test
    void findsARunningPostgresAndItsDataDirectory() {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start("leak");
        Path directory = postgres.dataDirectory();
        long pid = postgres.postmasterPid().orElseThrow();
        try {
            assertThat(ServerLeakCheck.leftovers(List.of(directory)))
                    // Whether the detached postmaster still counts as our descendant depends on who
                    // reaps orphans on the machine (a subreaper makes it one); either way it is found.
                    .anyMatch(line -> line.matches("(child )?process " + pid + " .*") && line.contains(directory.toString()))
                    .contains("directory " + directory);
            assertThatThrownBy(() -> ServerLeakCheck.assertNothingLeft(List.of(directory), Duration.ZERO))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("process " + pid);
        } finally {
            postgres.close();
        }
        ServerLeakCheck.assertNothingLeft(List.of(directory));
    }

    @Test
    void findsARunningChildProcess() throws IOException, InterruptedException {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(ServerLeakCheck.leftovers(List.of()))
                    .anyMatch(line -> line.startsWith("child process " + child.pid() + " "));
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(ServerLeakCheck.leftovers(List.of())).isEmpty();
    }
}
