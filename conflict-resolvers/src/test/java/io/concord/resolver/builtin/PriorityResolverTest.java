package io.concord.resolver.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.resolver.ConflictContext;
import io.concord.resolver.Operation;
import io.concord.resolver.Resolution;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.RowImage;
import io.concord.resolver.UpdateDeletePolicy;
import io.concord.resolver.VersionedRow;
import io.concord.version.DcId;
import io.concord.version.RowVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriorityResolverTest {

    private static final RowImage KEY = RowImage.of(Map.of("id", 1L));
    private final PriorityResolver resolver = new PriorityResolver(List.of(DcId.of("b"), DcId.of("a")));

    private Resolution resolve(String local, String remote) {
        return resolver.resolve(new ConflictContext("t", KEY,
                VersionedRow.live(Operation.UPDATE, KEY, RowVersion.parse(local)),
                VersionedRow.live(Operation.UPDATE, KEY, RowVersion.parse(remote)), UpdateDeletePolicy.LWW));
    }

    @Test
    void theHigherRankedDcWinsWhateverTheClocks() {
        assertThat(resolve("a:1@999/a", "b:1@1/b")).isInstanceOf(Resolution.ApplyRemote.class);
        assertThat(resolve("b:1@1/b", "a:1@999/a")).isInstanceOf(Resolution.KeepLocal.class);
    }

    @Test
    void unlistedDcsRankLastAndTieOnLww() {
        assertThat(resolve("c:1@999/c", "a:1@1/a")).isInstanceOf(Resolution.ApplyRemote.class);
        assertThat(resolve("c:1@5/c", "d:1@9/d")).isInstanceOf(Resolution.ApplyRemote.class);
        assertThat(resolve("c:1@9/c", "d:1@5/d")).isInstanceOf(Resolution.KeepLocal.class);
    }

    @Test
    void validatesItsOrder() {
        ResolverRegistry registry = ResolverRegistry.load();
        assertThatThrownBy(() -> registry.create("priority", Map.of()))
                .hasMessageContaining("resolver.order: missing, expected a list of strings");
        assertThatThrownBy(() -> registry.create("priority", Map.of("order", List.of("a", "b c"))))
                .hasMessageContaining("resolver.order: got 'b c', expected DC ids");
        assertThatThrownBy(() -> registry.create("priority", Map.of("order", List.of())))
                .hasMessageContaining("expected a non-empty list");
    }
}
