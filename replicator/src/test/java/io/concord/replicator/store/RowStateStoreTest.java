package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.version.VersionVector;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The readable projection of a stored state: the version vector column is the JSON a JSON library writes. */
class RowStateStoreTest {

    @Test
    void theVectorColumnIsTheVectorAsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String vector : new String[] {"a:1", "a:3,b:1", "eu-west.1:12345678901,us_east:2,ap:7"}) {
            Map<String, Long> map = VersionVector.parse(vector).toMap();
            assertThat(RowStateStore.vectorJson(map)).isEqualTo(json.writeValueAsString(map));
            assertThat(json.readValue(RowStateStore.vectorJson(map), TreeMap.class)).hasSize(map.size());
        }
        assertThat(RowStateStore.vectorJson(Map.of())).isEqualTo("{}");
    }
}
