package io.concord.resolver.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.resolver.ConflictContext;
import io.concord.resolver.Operation;
import io.concord.resolver.Resolution;
import io.concord.resolver.RowImage;
import io.concord.resolver.UpdateDeletePolicy;
import io.concord.resolver.VersionedRow;
import io.concord.version.RowVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LwwResolverTest {

    private static final RowImage KEY = RowImage.of(Map.of("id", 1L));

    private static VersionedRow row(String version) {
        return VersionedRow.live(Operation.UPDATE, KEY, RowVersion.parse(version));
    }

    private static Resolution resolve(VersionedRow local, VersionedRow remote) {
        return new LwwResolver().resolve(new ConflictContext("t", KEY, local, remote, UpdateDeletePolicy.LWW));
    }

    @Test
    void theLargerHlcWins() {
        assertThat(resolve(row("a:1@10/a"), row("b:1@20/b"))).isInstanceOf(Resolution.ApplyRemote.class);
        assertThat(resolve(row("a:1@30/a"), row("b:1@20/b"))).isInstanceOf(Resolution.KeepLocal.class);
    }

    @Test
    void theDcBreaksATieOnHlc() {
        assertThat(resolve(row("a:1@10/a"), row("b:1@10/b"))).isInstanceOf(Resolution.ApplyRemote.class);
        assertThat(resolve(row("b:1@10/b"), row("a:1@10/a"))).isInstanceOf(Resolution.KeepLocal.class);
    }
}
