package io.concord.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.version.RowVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflictIdTest {

    private static final RowImage KEY = RowImage.of(Map.of("id", 7L));
    private static final RowVersion A = RowVersion.parse("a:2@100/a");
    private static final RowVersion B = RowVersion.parse("a:1,b:1@90/b");

    @Test
    void isTheSameWhicheverSideIsLocal() {
        assertThat(ConflictId.of("public.orders", KEY, A, B)).isEqualTo(ConflictId.of("public.orders", KEY, B, A))
                .hasSize(32).matches("[0-9a-f]+");
    }

    @Test
    void differsByTableKeyAndVersions() {
        String id = ConflictId.of("public.orders", KEY, A, B);
        assertThat(ConflictId.of("public.items", KEY, A, B)).isNotEqualTo(id);
        assertThat(ConflictId.of("public.orders", RowImage.of(Map.of("id", 8L)), A, B)).isNotEqualTo(id);
        assertThat(ConflictId.of("public.orders", KEY, A, RowVersion.parse("a:1,b:2@95/b"))).isNotEqualTo(id);
    }
}
