package io.concord.replicator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SlotLagTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(SlotLag.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Deque<Object> answers = new ArrayDeque<>();
    private final AtomicInteger reads = new AtomicInteger();
    private long now;
    private final SlotLag lag = new SlotLag("concord_eu", () -> {
        reads.incrementAndGet();
        Object answer = answers.removeFirst();
        if (answer instanceof SQLException e) {
            throw e;
        }
        return (OptionalLong) answer;
    }, Duration.ofSeconds(1), () -> now);

    @BeforeEach
    void listen() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(log);
    }

    @Test
    void scrapesWithinTheMaxAgeShareOneRead() {
        answers.add(OptionalLong.of(100));
        answers.add(OptionalLong.of(250));
        assertThat(lag.bytes()).isEqualTo(100);
        now += Duration.ofMillis(999).toNanos();
        assertThat(lag.bytes()).isEqualTo(100);
        assertThat(reads).hasValue(1);
        now += Duration.ofMillis(1).toNanos();
        assertThat(lag.bytes()).isEqualTo(250);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedReadIsNaNLoggedOnceUntilAReadSucceedsAgain() {
        answers.add(new SQLException("connection refused"));
        answers.add(new SQLException("connection refused"));
        answers.add(OptionalLong.empty());
        answers.add(OptionalLong.of(42));
        answers.add(new SQLException("server closed the connection"));

        assertThat(lag.bytes()).isNaN();
        now += Duration.ofSeconds(1).toNanos();
        assertThat(lag.bytes()).isNaN();
        now += Duration.ofSeconds(1).toNanos();
        assertThat(lag.bytes()).as("the slot is missing").isNaN();
        assertThat(warnings()).as("one warning for the whole failing stretch").isEqualTo(1);
        assertThat(log.list.get(0).getFormattedMessage()).contains("concord_eu", "connection refused");

        now += Duration.ofSeconds(1).toNanos();
        assertThat(lag.bytes()).isEqualTo(42);
        now += Duration.ofSeconds(1).toNanos();
        assertThat(lag.bytes()).isNaN();
        assertThat(warnings()).as("a new failure after a success is logged again").isEqualTo(2);
    }

    @Test
    void aFailedReadIsCachedTooSoAFailingServerIsNotHammered() {
        answers.add(new SQLException("timeout"));
        assertThat(lag.bytes()).isNaN();
        assertThat(lag.bytes()).isNaN();
        assertThat(reads).hasValue(1);
    }

    private long warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }
}
