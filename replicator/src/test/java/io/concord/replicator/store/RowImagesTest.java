package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.replicator.types.PgType;
import io.concord.resolver.RowImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Column lists to row images and back: every type, NULL versus absent, the types needed going back. */
class RowImagesTest {

    @Test
    void columnsOfEveryTypeRoundTripThroughAnImage() {
        for (long seed = 0; seed < 200; seed++) {
            RandomValues random = new RandomValues(seed);
            List<Column> columns = new ArrayList<>();
            for (int i = 0; i < RandomValues.TYPES.size(); i++) {
                PgType type = RandomValues.TYPES.get(i);
                columns.add(new Column(String.format("c%02d", i), type.name(), random.next(type)));
            }

            RowImage image = RowImages.fromColumns(columns);

            assertThat(RowImages.toColumns(image, RowImages.typesOf(columns))).as("seed %d", seed).isEqualTo(columns);
            assertThat(RowImages.fromColumns(RowImages.toColumns(image, RowImages.typesOf(columns)))).isEqualTo(image);
        }
    }

    @Test
    void nullIsPresentAndAnAbsentColumnStaysAbsent() {
        RowImage image = RowImages.fromColumns(List.of(new Column("a", "text", new Datum(null))));

        assertThat(image.contains("a")).isTrue();
        assertThat(image.get("a")).isNull();
        assertThat(image.contains("b")).isFalse();
        assertThat(RowImages.toColumns(image, Map.of("a", "text", "b", "int4")))
                .containsExactly(new Column("a", "text", new Datum(null)));
    }

    @Test
    void columnsComeBackInNameOrder() {
        RowImage image = RowImages.fromColumns(List.of(new Column("b", "int4", new Datum(2)),
                new Column("a", "int4", new Datum(1))));

        assertThat(RowImages.toColumns(image, Map.of("a", "int4", "b", "int4")))
                .extracting(Column::getName).containsExactly("a", "b");
    }

    @Test
    void aColumnTwiceIsRefused() {
        assertThatThrownBy(() -> RowImages.fromColumns(List.of(new Column("a", "int4", new Datum(1)),
                new Column("a", "int4", new Datum(2)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'a' appears twice");
    }

    @Test
    void everyColumnNeedsItsTypeGoingBack() {
        RowImage image = RowImage.of(Map.of("a", 1, "b", 2L));

        assertThatThrownBy(() -> RowImages.toColumns(image, Map.of("a", "int4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PostgreSQL type known for column 'b' (types known for [a])");
        assertThatThrownBy(() -> RowImages.toColumns(image, Map.of("a", "int4", "b", "int4")))
                .hasMessageContaining("column 'b': a value of type int4 must be a Integer, got a java.lang.Long");
    }
}
