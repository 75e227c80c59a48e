package io.concord.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.resolver.builtin.LwwResolver;
import io.concord.resolver.builtin.MergeResolver;
import io.concord.resolver.builtin.PriorityResolver;
import io.concord.resolver.builtin.RecordResolver;
import io.concord.resolver.example.StatusRankResolver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverRegistryTest {

    private final ResolverRegistry registry = ResolverRegistry.load();

    @Test
    void findsTheBuiltInsByShortName() {
        assertThat(registry.names()).containsExactly("lww", "merge", "priority", "record");
        assertThat(registry.create("lww", Map.of()).resolver()).isInstanceOf(LwwResolver.class);
        assertThat(registry.create("priority", Map.of("order", List.of("a"))).resolver()).isInstanceOf(PriorityResolver.class);
        assertThat(registry.create("merge", Map.of()).resolver()).isInstanceOf(MergeResolver.class);
        assertThat(registry.create("record", Map.of()).resolver()).isInstanceOf(RecordResolver.class);
    }

    @Test
    void anUnknownNameFailsListingTheKnownOnes() {
        assertThatThrownBy(() -> registry.create("tables[0].resolver", "newest", Map.of()))
                .isInstanceOf(ResolverConfigException.class)
                .hasMessageContaining("tables[0].resolver: unknown resolver 'newest'; known: lww, merge, priority, record");
        assertThatThrownBy(() -> registry.create("com.acme.Missing", Map.of()))
                .hasMessageContaining("unknown resolver 'com.acme.Missing': no such class on the classpath")
                .hasMessageContaining("lww, merge, priority, record");
    }

    @Test
    void loadsACustomResolverByClassNameWithItsOptions() {
        ConfiguredResolver configured = registry.create(StatusRankResolver.class.getName(),
                Map.of("ranks", List.of("new", "paid"), "record", true, "update-delete", "delete-wins"));
        assertThat(configured.resolver()).isInstanceOf(StatusRankResolver.class);
        assertThat(configured.recordAll()).isTrue();
        assertThat(configured.updateDelete()).isEqualTo(UpdateDeletePolicy.DELETE_WINS);
        assertThat(configured.name()).isEqualTo(StatusRankResolver.class.getName());
    }

    @Test
    void loadsACustomFactoryOrNoArgumentResolverByClassName() {
        assertThat(registry.create(LwwResolver.Factory.class.getName(), Map.of()).resolver()).isInstanceOf(LwwResolver.class);
        assertThat(registry.create(LwwResolver.class.getName(), Map.of()).resolver()).isInstanceOf(LwwResolver.class);
        assertThatThrownBy(() -> registry.create(LwwResolver.class.getName(), Map.of("colour", "red")))
                .hasMessageContaining("resolver.colour: unknown option");
    }

    @Test
    void aClassOfTheWrongKindIsNamedAsSuch() {
        assertThatThrownBy(() -> registry.create("java.lang.String", Map.of()))
                .hasMessageContaining("class java.lang.String is neither a io.concord.resolver.ConflictResolver"
                        + " nor a io.concord.resolver.ResolverFactory");
    }

    @Test
    void commonAndResolverOptionProblemsAreReportedTogether() {
        assertThatThrownBy(() -> registry.create("t.resolver", "priority",
                Map.of("update-delete", "newest-wins", "order", List.of("a", "a"), "record", 3)))
                .isInstanceOfSatisfying(ResolverConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "t.resolver.record: got 3 (Integer), expected true or false",
                        "t.resolver.update-delete: got 'newest-wins', expected one of delete-wins, lww, update-wins",
                        "t.resolver.order: got 'a', expected each DC listed once"));
    }

    @Test
    void aFailingCustomConstructorPassesItsConfigurationProblemsOn() {
        assertThatThrownBy(() -> registry.create(StatusRankResolver.class.getName(), Map.of()))
                .hasMessageContaining("resolver.ranks: missing");
    }
}
