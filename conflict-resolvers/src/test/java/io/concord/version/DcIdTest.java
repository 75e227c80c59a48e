package io.concord.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DcIdTest {

    @Test
    void acceptsTopicSafeNames() {
        assertThat(DcId.of("eu-west_1.a").value()).isEqualTo("eu-west_1.a");
        assertThat(DcId.of("a")).hasToString("a");
        assertThat(DcId.of("Z9" + "x".repeat(62)).value()).hasSize(64);
    }

    @Test
    void rejectsSeparatorsAndBlanksWithTheReason() {
        for (String bad : new String[] {"", "a:b", "a,b", "a b", "a@b", "a/b", "a#b", "dc-ü", "a\n",
                "x".repeat(65)}) {
            assertThatThrownBy(() -> DcId.of(bad)).hasMessageContaining("bad DC id").hasMessageContaining("letters, digits");
        }
    }

    @Test
    void ordersByName() {
        assertThat(DcId.of("a")).isLessThan(DcId.of("b"));
    }
}
