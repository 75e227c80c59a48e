package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.resolver.RowImage;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflictWriterTest {

    @Test
    void aRowIsAnObjectOfPostgresTextFormsWithJsonNullForSqlNull() throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put("id", 7L);
        values.put("price", new BigDecimal("1.50"));
        values.put("note", null);
        values.put("tags", List.of("a", "b c"));
        JsonNode json = new ObjectMapper().readTree(ConflictWriter.row(RowImage.of(values),
                Map.of("id", "int8", "price", "numeric", "note", "text", "tags", "_text")));

        assertThat(json.get("id").asText()).isEqualTo("7");
        assertThat(json.get("price").asText()).isEqualTo("1.50");
        assertThat(json.get("note").isNull()).isTrue();
        assertThat(json.get("tags").asText()).isEqualTo("{a,\"b c\"}");
        assertThat(json.size()).isEqualTo(4);
    }
}
