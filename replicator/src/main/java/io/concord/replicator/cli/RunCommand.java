package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import io.concord.replicator.install.PrerequisitesNotMetException;
import io.concord.replicator.metrics.HttpPortUnavailableException;
import java.sql.Connection;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

    @Override
    public Integer call() throws Exception {
        ConcordConfig config = configOption.load();
        LOG.info("effective config: {}", config);
        try (Connection connection = ConfigOption.connect(config)) {
            new Installer(config).install(connection, false).forEach(line -> LOG.info("install: {}", line));
        } catch (PrerequisitesNotMetException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        DcRuntime runtime;
        try {
            runtime = DcRuntime.start(config);
        } catch (HttpPortUnavailableException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping DC {}", config.dc());
            runtime.close();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
        Throwable failure = runtime.awaitTermination();
        runtime.close();
        stopped.countDown();
        if (failure != null) {
            throw new UserFacingException(failure.getMessage(), failure.getCause());
        }
        return 0;
    }
}
