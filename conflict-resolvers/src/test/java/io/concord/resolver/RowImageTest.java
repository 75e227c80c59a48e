package io.concord.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowImageTest {

    @Test
    void tellsSqlNullFromAbsent() {
        Map<String, Object> columns = new HashMap<>();
        columns.put("note", null);
        RowImage row = RowImage.of(columns);
        assertThat(row.contains("note")).isTrue();
        assertThat(row.get("note")).isNull();
        assertThat(row.contains("qty")).isFalse();
        assertThatThrownBy(() -> row.get("qty")).hasMessageContaining("'qty' is absent").hasMessageContaining("not NULL");
    }

    @Test
    void cannotBeChangedThroughTheMapOrArraysItWasBuiltFrom() {
        byte[] bytes = {1, 2};
        List<Object> tags = new ArrayList<>(List.of("a"));
        Map<String, Object> columns = new HashMap<>(Map.of("blob", bytes, "tags", tags));
        RowImage row = RowImage.of(columns);
        bytes[0] = 9;
        tags.add("b");
        columns.put("extra", 1);
        ((byte[]) row.get("blob"))[1] = 9;
        assertThat((byte[]) row.get("blob")).containsExactly(1, 2);
        assertThat(row.get("tags")).isEqualTo(List.of("a"));
        assertThat(row.columns()).containsExactly("blob", "tags");
    }

    @Test
    void equalityComparesArraysByContent() {
        assertThat(RowImage.of(Map.of("blob", new byte[] {1}))).isEqualTo(RowImage.of(Map.of("blob", new byte[] {1})))
                .hasSameHashCodeAs(RowImage.of(Map.of("blob", new byte[] {1})));
        assertThat(RowImage.of(Map.of("n", 1L))).isNotEqualTo(RowImage.of(Map.of("n", 1)));
        assertThat(RowImage.of(Map.of("n", BigDecimal.ONE))).isNotEqualTo(RowImage.of(Map.of("m", BigDecimal.ONE)));
    }

    @Test
    void withAndWithoutLeaveTheOriginalAlone() {
        RowImage row = RowImage.of(Map.of("a", 1L));
        assertThat(row.with("b", null).toMap()).containsEntry("b", null).containsEntry("a", 1L);
        assertThat(row.without("a").isEmpty()).isTrue();
        assertThat(row.columns()).containsExactly("a");
    }

    @Test
    void canonicalFormIsTypeTaggedAndOrdered() {
        RowImage row = RowImage.of(Map.of("b", "1", "a", 1L));
        assertThat(row.canonical()).isEqualTo("{s:1:a=n:Long:1,s:1:b=s:1:1}");
    }
}
