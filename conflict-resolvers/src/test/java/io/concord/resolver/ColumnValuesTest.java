package io.concord.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ColumnValuesTest {

    @Test
    void ordersAcrossTypesTotallyAndNumbersByValue() {
        List<Object> values = new ArrayList<>(Arrays.asList("b", 2L, null, new BigDecimal("1.5"), true, List.of(1),
                new byte[] {1}, BigInteger.TEN, 1, "a"));
        values.sort(ColumnValues::compare);
        assertThat(values.get(0)).isNull();
        assertThat(values.subList(1, 7)).containsExactly(true, 1, new BigDecimal("1.5"), 2L, BigInteger.TEN, "a");
        assertThat(values.get(7)).isEqualTo("b");
        assertThat(values.get(9)).isEqualTo(List.of(1));
    }

    @Test
    void sortingDoesNotDependOnInputOrderEvenForEqualNumbersOfOtherClasses() {
        List<Object> one = new ArrayList<>(List.of(1L, 1, new BigDecimal("1.00"), new BigDecimal("1.0")));
        List<Object> other = new ArrayList<>(one);
        java.util.Collections.reverse(other);
        one.sort(ColumnValues::compare);
        other.sort(ColumnValues::compare);
        assertThat(one).isEqualTo(other);
    }

    @Test
    void sameComparesArraysDeeply() {
        assertThat(ColumnValues.same(List.of(new byte[] {1}), List.of(new byte[] {1}))).isTrue();
        assertThat(ColumnValues.same(new Object[] {"a"}, new Object[] {"a"})).isTrue();
        assertThat(ColumnValues.same(1L, 1)).isFalse();
        assertThat(ColumnValues.hash(new byte[] {3})).isEqualTo(ColumnValues.hash(new byte[] {3}));
    }

    @Test
    void canonicalFormsAreUnambiguous() {
        assertThat(ColumnValues.canonical("1")).isNotEqualTo(ColumnValues.canonical(1L));
        assertThat(ColumnValues.canonical(List.of("a,b"))).isNotEqualTo(ColumnValues.canonical(List.of("a", "b")));
        assertThat(ColumnValues.canonical(Set.of("b", "a"))).isEqualTo("{s:1:a,s:1:b}");
        assertThat(ColumnValues.canonical(new byte[] {(byte) 0xff})).isEqualTo("x:ff");
    }
}
