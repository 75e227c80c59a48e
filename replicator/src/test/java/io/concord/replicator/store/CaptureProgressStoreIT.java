package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.replicator.capture.Lsn;
import io.concord.replicator.publish.CaptureFencedException;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import io.concord.version.RowVersion;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Capture progress in a real PostgreSQL: saved under an epoch, and an instance that was taken over writes nothing. */
class CaptureProgressStoreIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final String SLOT = "concord_a";

    private static Connection first;
    private static Connection second;
    private final CaptureProgressStore progress = new CaptureProgressStore();
    private final RowStateStore rowStates = new RowStateStore();

    @BeforeAll
    static void install() throws SQLException {
        first = cluster.postgres("a").connect();
        second = cluster.postgres("a").connect();
        ConcordSchema.apply(first);
        first.setAutoCommit(false);
        second.setAutoCommit(false);
    }

    @AfterAll
    static void close() throws SQLException {
        first.close();
        second.close();
    }

    /** What {@code concord install} leaves: the slot's row at its starting position, epoch 0. */
    @BeforeEach
    void installSlot() throws SQLException {
        try (Statement statement = first.createStatement()) {
            statement.execute("DELETE FROM concord.capture_progress");
            statement.execute("DELETE FROM concord.row_versions");
            statement.execute("INSERT INTO concord.capture_progress (slot, lsn, hlc) VALUES ('" + SLOT + "', '0/16B3748', 0)");
        }
        first.commit();
    }

    @Test
    void loadsWhereCaptureStands() throws SQLException {
        assertThat(progress.load(first, SLOT)).isEqualTo(new CaptureProgressStore.Progress(Lsn.parse("0/16B3748"), 0, 0));
        first.commit();
    }

    @Test
    void eachClaimBumpsTheEpoch() throws SQLException {
        assertThat(progress.claim(first, SLOT)).isEqualTo(1);
        first.commit();
        assertThat(progress.claim(second, SLOT)).isEqualTo(2);
        second.commit();
        assertThat(progress.load(first, SLOT).epoch()).isEqualTo(2);
        first.commit();
    }

    @Test
    void savesUnderItsEpochAndNeverMovesBack() throws SQLException {
        long epoch = progress.claim(first, SLOT);
        first.commit();

        progress.save(first, SLOT, epoch, Lsn.parse("1/0"), 1_700_000_000_000_005L);
        first.commit();
        progress.save(first, SLOT, epoch, Lsn.parse("0/FFFFFFFF"), 1_700_000_000_000_001L);
        first.commit();

        assertThat(progress.load(first, SLOT)).as("a replay passes positions already saved")
                .isEqualTo(new CaptureProgressStore.Progress(Lsn.parse("1/0"), 1_700_000_000_000_005L, epoch));
        first.commit();
    }

    @Test
    void aSecondClaimFencesTheFirstInstanceOutOfItsBatch() throws SQLException {
        long zombie = progress.claim(first, SLOT);
        first.commit();
        long active = progress.claim(second, SLOT);
        second.commit();
        RowKey key = new RowKey("public.t", "[\"1\"]");

        rowStates.save(first, List.of(state(key)));
        assertThatThrownBy(() -> progress.save(first, SLOT, zombie, Lsn.parse("0/20000000"), 5L))
                .isInstanceOf(CaptureFencedException.class)
                .hasMessageContaining("capture of slot concord_a was taken over by another instance (epoch " + active
                        + ", this instance holds " + zombie + ")");
        first.rollback();

        assertThat(rowStates.load(second, List.of(key))).as("the batch's row states went with it").isEmpty();
        assertThat(progress.load(second, SLOT).lsn()).isEqualTo(Lsn.parse("0/16B3748"));
        progress.save(second, SLOT, active, Lsn.parse("0/20000000"), 5L);
        second.commit();
    }

    @Test
    void aClaimWaitsForTheBatchInFlightThenFencesTheNextOne() throws Exception {
        long zombie = progress.claim(first, SLOT);
        first.commit();
        progress.save(first, SLOT, zombie, Lsn.parse("0/20000000"), 5L);

        CompletableFuture<Long> claim = CompletableFuture.supplyAsync(() -> {
            try {
                long epoch = progress.claim(second, SLOT);
                second.commit();
                return epoch;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(claim).as("blocked by the batch in flight").isNotDone();
        first.commit();

        assertThat(claim.get(30, TimeUnit.SECONDS)).isEqualTo(zombie + 1);
        assertThat(progress.load(first, SLOT).lsn()).as("the batch committed before the takeover")
                .isEqualTo(Lsn.parse("0/20000000"));
        assertThatThrownBy(() -> progress.save(first, SLOT, zombie, Lsn.parse("0/30000000"), 6L))
                .isInstanceOf(CaptureFencedException.class);
        first.rollback();
    }

    @Test
    void aSlotThatWasNeverInstalledSaysSo() throws SQLException {
        assertThatThrownBy(() -> progress.load(first, "elsewhere"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no capture progress for slot 'elsewhere'")
                .hasMessageContaining("concord install");
        assertThatThrownBy(() -> progress.claim(first, "elsewhere")).isInstanceOf(IllegalStateException.class);
        first.rollback();
    }

    private static StoredRowState state(RowKey key) {
        RowState state = RowState.of(VersionedRow.live(Operation.INSERT, RowImage.of(Map.of("id", 1L)),
                RowVersion.parse("a:1@1700000000000000/a")));
        return new StoredRowState(key, state, Lsn.parse("0/20000000"), 0, Map.of("id", "int8"));
    }
}
