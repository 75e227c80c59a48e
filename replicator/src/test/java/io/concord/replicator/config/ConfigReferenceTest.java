package io.concord.replicator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's key reference is generated from {@link ConfigKeys}; this keeps it from drifting. */
class ConfigReferenceTest {

    @Test
    void theReadmeHoldsTheGeneratedReference() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));

        assertThat(readme).as("README.md's concord.yaml key table; regenerate it from ConfigKeys.referenceMarkdown()")
                .contains(ConfigKeys.referenceMarkdown());
    }
}
