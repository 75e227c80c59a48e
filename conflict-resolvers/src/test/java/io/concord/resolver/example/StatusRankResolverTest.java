package io.concord.resolver.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.resolver.ConflictContext;
import io.concord.resolver.Operation;
import io.concord.resolver.Resolution;
import io.concord.resolver.ResolverOptions;
import io.concord.resolver.RowImage;
import io.concord.resolver.UpdateDeletePolicy;
import io.concord.resolver.VersionedRow;
import io.concord.version.RowVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusRankResolverTest {

    private final StatusRankResolver resolver = new StatusRankResolver(
            ResolverOptions.of(Map.of("ranks", List.of("new", "paid", "shipped"))));

    private Resolution resolve(String localStatus, String localVersion, String remoteStatus, String remoteVersion) {
        return resolver.resolve(new ConflictContext("public.orders", RowImage.of(Map.of("id", 1L)),
                VersionedRow.live(Operation.UPDATE, RowImage.of(Map.of("id", 1L, "status", localStatus)), RowVersion.parse(localVersion)),
                VersionedRow.live(Operation.UPDATE, RowImage.of(Map.of("id", 1L, "status", remoteStatus)), RowVersion.parse(remoteVersion)),
                UpdateDeletePolicy.LWW));
    }

    @Test
    void theHigherStatusWinsEvenIfWrittenEarlier() {
        assertThat(resolve("paid", "a:1@900/a", "shipped", "b:1@100/b")).isInstanceOf(Resolution.ApplyRemote.class);
        assertThat(resolve("shipped", "a:1@100/a", "new", "b:1@900/b")).isInstanceOf(Resolution.KeepLocal.class);
    }

    @Test
    void equalStatusesFallBackToLww() {
        assertThat(resolve("paid", "a:1@900/a", "paid", "b:1@100/b")).isInstanceOf(Resolution.KeepLocal.class);
        assertThat(resolve("lost", "a:1@100/a", "gone", "b:1@900/b")).isInstanceOf(Resolution.ApplyRemote.class);
    }

    @Test
    void requiresItsRanks() {
        ResolverOptions options = ResolverOptions.of(Map.of("column", "state"));
        new StatusRankResolver(options);
        assertThatThrownBy(options::check).hasMessageContaining("options.ranks: missing");
    }
}
