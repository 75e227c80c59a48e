package io.concord.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverOptionsTest {

    @Test
    void readsTypedValuesAndDefaults() {
        ResolverOptions options = ResolverOptions.of(Map.of("order", List.of("a", "b"), "record", "true",
                "columns", Map.of("qty", "counter"), "mode", "fast"));
        assertThat(options.stringList("order")).containsExactly("a", "b");
        assertThat(options.bool("record", false)).isTrue();
        assertThat(options.stringMap("columns")).containsEntry("qty", "counter");
        assertThat(options.choice("mode", Map.of("fast", 1, "slow", 2), 0)).isEqualTo(1);
        assertThat(options.string("missing", "x")).isEqualTo("x");
        options.check();
    }

    @Test
    void reportsEveryProblemAtOnceWithPathValueAndExpectation() {
        ResolverOptions options = ResolverOptions.of(Map.of("order", 5, "record", "yes", "mode", "warp", "typo", 1));
        options.stringList("order");
        options.bool("record", false);
        options.choice("mode", Map.of("fast", 1, "slow", 2), 0);
        assertThatThrownBy(options::check)
                .isInstanceOfSatisfying(ResolverConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "options.order: got 5 (Integer), expected a non-empty list of strings, e.g. [a, b]",
                        "options.record: got 'yes', expected true or false",
                        "options.mode: got 'warp', expected one of fast, slow",
                        "options.typo: unknown option (known: order, record, mode)"))
                .hasMessageContaining("4 problems");
    }

    @Test
    void aMissingRequiredListIsAProblem() {
        ResolverOptions options = ResolverOptions.of(Map.of());
        assertThat(options.stringList("order")).isEmpty();
        assertThatThrownBy(options::check).hasMessage("invalid resolver configuration: options.order: missing,"
                + " expected a list of strings, e.g. [a, b]");
    }

    @Test
    void forwardHandsOnTheUnreadOptions() {
        ResolverOptions options = ResolverOptions.of(Map.of("winner", "priority", "order", List.of("a")));
        options.string("winner");
        ResolverOptions rest = options.forward();
        assertThat(rest.stringList("order")).containsExactly("a");
        options.check();
        rest.check();
    }
}
