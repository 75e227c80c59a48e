package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ApplyExceptionTest {

    @Test
    void lostConnectionsSerializationFailuresDeadlocksAndLockTimeoutsAreRetryable() {
        for (String state : new String[] {"08006", "08003", "40001", "40P01", "55P03", "57P01"}) {
            assertThat(ApplyException.of("x", new SQLException("m", state)).retryable()).as(state).isTrue();
        }
    }

    @Test
    void otherFailuresArePermanent() {
        for (String state : new String[] {"23505", "42703", "22003", "XX000"}) {
            assertThat(ApplyException.of("x", new SQLException("m", state)).retryable()).as(state).isFalse();
        }
    }

    @Test
    void theCauseChainIsWalked() {
        SQLException outer = new SQLException("batch failed", (String) null);
        outer.setNextException(new SQLException("deadlock", "40P01"));
        assertThat(ApplyException.isRetryable(new RuntimeException(outer))).isTrue();
        assertThat(ApplyException.sqlState(new RuntimeException(outer))).isEqualTo("40P01");
    }

    @Test
    void rowLevelFailuresAreThoseOfTheRowNotOfTheBatch() {
        assertThat(RowFailures.isRowLevel("23505")).isTrue();
        assertThat(RowFailures.isRowLevel("42703")).isTrue();
        assertThat(RowFailures.isRowLevel("40P01")).isFalse();
        assertThat(RowFailures.errorClass("23505")).isEqualTo("CONSTRAINT");
        assertThat(RowFailures.errorClass("42P01")).isEqualTo("SCHEMA");
    }
}
