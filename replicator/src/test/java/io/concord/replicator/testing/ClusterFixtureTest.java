package io.concord.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fixture's declaration checks, which need no server. */
class ClusterFixtureTest {

    @Test
    void keepsTheDatacentersInOrder() {
        assertThat(ClusterFixture.datacenters("b", "a", "c").datacenters()).containsExactly("b", "a", "c");
    }

    @Test
    void rejectsMissingBlankOrRepeatedDatacenters() {
        assertThatThrownBy(() -> ClusterFixture.datacenters(new String[0])).hasMessageContaining("at least one");
        assertThatThrownBy(() -> ClusterFixture.datacenters("a", " ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> ClusterFixture.datacenters("a", "a")).hasMessageContaining("distinct");
        assertThatThrownBy(() -> ClusterFixture.datacenters("a").kafkaBrokers(0)).hasMessageContaining("at least 1");
    }

    @Test
    void explainsHowToRegisterItWhenUsedBeforeItStarted() {
        ClusterFixture fixture = ClusterFixture.datacenters("a");

        assertThatThrownBy(fixture::kafka).hasMessageContaining("@RegisterExtension");
        assertThatThrownBy(() -> fixture.postgres("a")).hasMessageContaining("static field");
    }

    @Test
    void rejectsAnUnknownBackend() {
        String before = System.getProperty(ClusterBackend.PROPERTY);
        System.setProperty(ClusterBackend.PROPERTY, "vagrant");
        try {
            assertThatThrownBy(ClusterBackend::selected).hasMessageContaining("expected embedded or docker");
        } finally {
            if (before == null) {
                System.clearProperty(ClusterBackend.PROPERTY);
            } else {
                System.setProperty(ClusterBackend.PROPERTY, before);
            }
        }
    }
}
