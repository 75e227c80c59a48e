package io.concord.deploy;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * MirrorMaker 2 in dedicated mode, in a child JVM, started the way {@code connect-mirror-maker.sh} starts it:
 * {@code org.apache.kafka.connect.mirror.MirrorMaker mm2.properties}. Its classpath is its own (resolved by
 * {@code deploy/mm2-runtime}): MirrorMaker's jars and the test's 4.4.0 Kafka clients cannot share one.
 */
final class MirrorMakerProcess implements AutoCloseable {

    /** Set by the build to the file deploy/mm2-runtime writes. */
    static final String CLASSPATH_PROPERTY = "concord.mirrormaker.classpath";
    private static final String MAIN_CLASS = "org.apache.kafka.connect.mirror.MirrorMaker";
    private static final String LOGBACK = """
            <configuration>
              <appender name="FILE" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="org.apache.kafka.connect.mirror" level="INFO"/>
              <root level="WARN"><appender-ref ref="FILE"/></root>
            </configuration>
            """;

    private final Process process;
    private final Path log;

    private MirrorMakerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Writes {@code config} to {@code directory}/mm2.properties and starts MirrorMaker on it; output goes to mm2.log. */
    static MirrorMakerProcess start(Path directory, Properties config) throws IOException {
        Path classpathFile = Path.of(System.getProperty(CLASSPATH_PROPERTY, "mm2-runtime/target/mirrormaker.classpath"));
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: build deploy/mm2-runtime first (mvn -pl"
                    + " deploy -am verify does)");
        }
        Files.createDirectories(directory);
        StringWriter properties = new StringWriter();
        config.store(properties, "MirrorMakerIT");
        Path file = Files.writeString(directory.resolve("mm2.properties"), properties.toString());
        Path logback = Files.writeString(directory.resolve("logback.xml"), LOGBACK);
        Path log = directory.resolve("mm2.log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dlogback.configurationFile=" + logback,
                "-cp", Files.readString(classpathFile).strip(), MAIN_CLASS, file.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new MirrorMakerProcess(process, log);
    }

    /** SIGKILL, as a crash: nothing flushed, in particular not the offsets of what it copied. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (its shutdown hook stops the connectors and commits their offsets) and waits for the exit. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("MirrorMaker did not stop within 60 s of SIGTERM; log: " + log);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
