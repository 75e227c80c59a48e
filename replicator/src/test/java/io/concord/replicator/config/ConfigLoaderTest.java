package io.concord.replicator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String VALID = """
            dc: us
            postgres:
              url: jdbc:postgresql://localhost:5432/app
              user: concord
              password: ${PG_PASSWORD}
            kafka:
              bootstrap-servers: localhost:9092
              properties:
                security.protocol: SASL_SSL
                sasl.jaas.config: secret-stuff
            topics:
              prefix: acme
              replication-factor: 3
            topology:
              type: star
              hub: eu
            peers: [eu, ap]
            tables:
              - name: accounts
                resolver:
                  name: merge
                  columns: {balance: counter}
              - name: shop.inventory
                resolver: {name: priority, order: [us, eu], record: true}
              - name: public.profiles
            apply:
              batch-size: 500
              max-batch-delay: 5ms
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("PG_PASSWORD", "s3cret")::get);

    @Test
    void aValidFileGivesTheConfigWithDefaultsFilledIn() throws Exception {
        ConcordConfig config = loader.parse(VALID);

        assertThat(config.dc()).isEqualTo("us");
        assertThat(config.postgres().password()).isEqualTo("s3cret");
        assertThat(config.postgres().poolSize()).isEqualTo(4);
        assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.topics().changes("eu")).isEqualTo("acme.changes.eu");
        assertThat(config.topics().replicationFactor()).isEqualTo((short) 3);
        assertThat(config.topology().type()).isEqualTo(ConcordConfig.TopologyType.STAR);
        assertThat(config.sources()).containsExactly("eu");
        assertThat(config.forwardsAppliedChanges()).isFalse();
        assertThat(config.tables()).extracting(ConcordConfig.Table::qualifiedName)
                .containsExactly("public.accounts", "shop.inventory", "public.profiles");
        assertThat(config.tables().get(0).resolver().options()).isEqualTo(Map.of("columns", Map.of("balance", "counter")));
        assertThat(config.tables().get(1).resolver().options())
                .isEqualTo(Map.of("order", List.of("us", "eu"), "record", "true"));
        assertThat(config.tables().get(2).resolver().name()).isEqualTo("lww");
        assertThat(config.capture().slot()).isEqualTo("concord_us");
        assertThat(config.capture().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.apply().maxBatchDelay()).isEqualTo(Duration.ofMillis(5));
        assertThat(config.http().port()).isEqualTo(8080);
    }

    @Test
    void secretsAreMaskedInTheEffectiveConfig() throws Exception {
        String shown = loader.parse(VALID).toString();

        assertThat(shown).doesNotContain("s3cret").doesNotContain("secret-stuff").contains("password=****")
                .contains("sasl.jaas.config=****").contains("security.protocol=SASL_SSL");
    }

    @Test
    void everyErrorIsReportedAtOnceWithPathLineValueAndExpectation() {
        String bad = """
                dc: US-East
                postgres:
                  url: mysql://nope
                  pool-size: 0
                kafka:
                  bootstraps: localhost:9092
                topics:
                  replication-factor: many
                topology:
                  type: ring
                peers: [eu]
                tables:
                  - name: "drop table x;"
                    resolver: {order: [us]}
                capture:
                  heartbeat-interval: soon
                """;

        assertThatThrownBy(() -> loader.parse(bad))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.errors())
                        .extracting(ConfigError::toString)
                        .contains(
                                "dc (line 1): 'US-East' is not valid; expected " + ConfigKeys.IDENTIFIER,
                                "postgres.url (line 3): 'mysql://nope' is not valid; expected a jdbc:postgresql:// URL",
                                "postgres.pool-size (line 4): '0' is not valid; expected an integer 1..64",
                                "kafka.bootstraps (line 6): unknown key 'bootstraps' is not valid; expected one of bootstrap-servers, properties",
                                "topics.replication-factor (line 8): 'many' is not valid; expected an integer 1..10",
                                "capture.heartbeat-interval (line 16): 'soon' is not valid; expected a duration (500ms, 5s, 1m)")
                        .anySatisfy(line -> assertThat(line).startsWith("postgres.user").contains("expected text"))
                        .anySatisfy(line -> assertThat(line).startsWith("kafka.bootstrap-servers"))
                        .anySatisfy(line -> assertThat(line).startsWith("topology.upstream").contains("[eu]"))
                        .anySatisfy(line -> assertThat(line).startsWith("tables[0].name (line 13)"))
                        .anySatisfy(line -> assertThat(line).startsWith("tables[0].resolver (line 14)")))
                .hasMessageStartingWith("1");
    }

    @Test
    void resolversCheckTheirOwnOptions() {
        String bad = VALID.replace("name: merge", "name: merj").replace("order: [us, eu]", "order: 7");

        assertThatThrownBy(() -> loader.parse(bad)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.errors()).extracting(ConfigError::toString)
                        .anySatisfy(line -> assertThat(line).startsWith("line 21: ").contains("tables[0].resolver")
                                .contains("merj").contains("lww"))
                        .anySatisfy(line -> assertThat(line).startsWith("line 24: ").contains("tables[1].resolver.order")
                                .contains("7")));
    }

    @Test
    void aMixedCaseTableNameIsRefusedWithTheNameToWrite() {
        assertThatThrownBy(() -> loader.parse(VALID.replace("- name: accounts", "- name: Accounts")))
                .hasMessageContaining("tables[0].name (line 19): 'Accounts' is not valid")
                .hasMessageContaining("write 'accounts'");
    }

    @Test
    void anUnsetEnvironmentVariableNamesTheKeyAndTheVariable() {
        ConfigLoader noEnv = new ConfigLoader(name -> null);

        assertThatThrownBy(() -> noEnv.parse(VALID))
                .hasMessageContaining("postgres.password (line 5): ${PG_PASSWORD} is not valid; expected environment variable PG_PASSWORD to be set");
    }

    @Test
    void anEnvironmentDefaultIsUsedWhenTheVariableIsUnset() throws Exception {
        ConfigLoader noEnv = new ConfigLoader(name -> null);

        ConcordConfig config = noEnv.parse(VALID.replace("${PG_PASSWORD}", "${PG_PASSWORD:-fallback}"));

        assertThat(config.postgres().password()).isEqualTo("fallback");
    }

    @Test
    void unknownTopLevelKeysAndBadYamlAreReported() {
        assertThatThrownBy(() -> loader.parse(VALID + "tabels: []\n"))
                .hasMessageContaining("tabels (line 29): unknown key 'tabels'");
        assertThatThrownBy(() -> loader.parse("dc: [unclosed\n"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("valid YAML");
    }

    @Test
    void aPeerEqualToTheDcAndDuplicateTablesAreRejected() {
        String bad = VALID.replace("peers: [eu, ap]", "peers: [eu, us]")
                .replace("- name: public.profiles", "- name: accounts");

        assertThatThrownBy(() -> loader.parse(bad))
                .hasMessageContaining("the other DCs only, not this DC 'us'")
                .hasMessageContaining("public.accounts is listed twice");
    }

    @Test
    void theReferenceListsEveryKeyWithItsDefault() {
        String reference = ConfigKeys.referenceMarkdown();

        assertThat(reference).contains("| `dc` |").contains("| `apply.batch-size` | an integer 1..100000 | `5000` |");
        assertThat(reference.lines().count()).isEqualTo(ConfigKeys.ALL.size() + 2);
    }
}
