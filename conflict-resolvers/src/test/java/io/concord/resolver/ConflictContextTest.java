package io.concord.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.version.RowVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflictContextTest {

    private static final RowImage KEY = RowImage.of(Map.of("id", 1L));
    private static final VersionedRow INSERT_A = VersionedRow.live(Operation.INSERT, KEY, RowVersion.parse("a:1@10/a"));
    private static final VersionedRow INSERT_B = VersionedRow.live(Operation.INSERT, KEY, RowVersion.parse("b:1@20/b"));
    private static final VersionedRow UPDATE_B = VersionedRow.live(Operation.UPDATE, KEY, RowVersion.parse("b:2@30/b"));
    private static final VersionedRow DELETE_B = VersionedRow.tombstone(RowVersion.parse("b:2@30/b"));
    private static final VersionedRow DELETE_A = VersionedRow.tombstone(RowVersion.parse("a:2@30/a"));

    private static ConflictContext context(VersionedRow local, VersionedRow remote, UpdateDeletePolicy policy) {
        return new ConflictContext("t", KEY, local, remote, policy);
    }

    @Test
    void namesTheTypeLocalSideFirst() {
        assertThat(context(INSERT_A, INSERT_B, UpdateDeletePolicy.LWW).type()).isEqualTo(ConflictType.INSERT_INSERT);
        assertThat(context(INSERT_A, UPDATE_B, UpdateDeletePolicy.LWW).type()).isEqualTo(ConflictType.UPDATE_UPDATE);
        assertThat(context(INSERT_A, DELETE_B, UpdateDeletePolicy.LWW).type()).isEqualTo(ConflictType.UPDATE_DELETE);
        assertThat(context(DELETE_A, INSERT_B, UpdateDeletePolicy.LWW).type().label()).isEqualTo("delete_update");
        assertThatThrownBy(() -> context(DELETE_A, DELETE_B, UpdateDeletePolicy.LWW)).hasMessageContaining("not a conflict");
    }

    @Test
    void theMergedVersionDominatesBothSides() {
        ConflictContext context = context(INSERT_A, UPDATE_B, UpdateDeletePolicy.LWW);
        assertThat(context.mergedVersion()).hasToString("a:1,b:2@30/b");
        assertThat(context.remoteIsNewer()).isTrue();
        assertThat(Resolution.keepLocal(context).version()).isEqualTo(context.mergedVersion());
        assertThat(Resolution.keepLocal(context).recorded().record()).isTrue();
    }

    @Test
    void updateDeletePoliciesDecideDeterministically() {
        ConflictContext deleteIsNewer = context(INSERT_A, DELETE_B, UpdateDeletePolicy.LWW);
        assertThat(UpdateDeletePolicy.LWW.resolve(deleteIsNewer)).isInstanceOf(Resolution.ApplyRemote.class);
        assertThat(UpdateDeletePolicy.UPDATE_WINS.resolve(deleteIsNewer)).isInstanceOf(Resolution.KeepLocal.class);
        assertThat(UpdateDeletePolicy.DELETE_WINS.resolve(context(DELETE_A, INSERT_B, UpdateDeletePolicy.LWW)))
                .isInstanceOf(Resolution.KeepLocal.class);
        assertThat(UpdateDeletePolicy.fromOption("update-wins")).contains(UpdateDeletePolicy.UPDATE_WINS);
        assertThatThrownBy(() -> UpdateDeletePolicy.LWW.resolve(context(INSERT_A, INSERT_B, UpdateDeletePolicy.LWW)))
                .hasMessageContaining("not an update/delete conflict");
    }
}
