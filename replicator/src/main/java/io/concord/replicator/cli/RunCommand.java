package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import io.concord.replicator.install.PrerequisitesNotMetException;
import io.concord.replicator.metrics.HttpPortUnavailableException;
import java.sql.Connection;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code concord run}: the replicator of one DC, until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run this DC's replicator: install (idempotent), then capture local changes to Kafka and apply "
                + "the peers' changes from it. "
                + "A second instance for the same DC waits as a standby and takes over when the first dies.",
        footer = {"", "Example:", "  concord run --config concord.yaml"})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption configOption;

    /** How long the shutdown hook waits for the main thread to finish the stop (it may be in a start's step). */
    private static final long STOP_WAIT_SECONDS = 30;

    @Override
    public Integer call() throws Exception {
        ConcordConfig config = configOption.load();
        // The hook comes before anything starts: a SIGTERM while the process installs or starts (a pod stopped
        // while starting, a supervisor's quick restart) is then an orderly stop, not a crash.
        DcRuntime runtime = DcRuntime.create(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping DC {}", config.dc());
            runtime.close();
            try {
                if (!stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("DC {}: the main thread did not finish stopping within {} s", config.dc(),
                            STOP_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
        LOG.info("effective config: {}", config); // logged once a SIGTERM would stop in order
        try {
            try (Connection connection = ConfigOption.connect(config)) {
                new Installer(config).install(connection, false).forEach(line -> LOG.info("install: {}", line));
            } catch (PrerequisitesNotMetException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
            try {
                runtime.begin();
            } catch (HttpPortUnavailableException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
            Throwable failure = runtime.awaitTermination();
            if (failure != null) {
                throw new UserFacingException(failure.getMessage(), failure.getCause());
            }
            return 0;
        } finally {
            runtime.close();
            stopped.countDown();
        }
    }
}
