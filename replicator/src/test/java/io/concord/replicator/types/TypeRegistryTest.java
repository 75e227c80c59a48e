package io.concord.replicator.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Type identification from pg_type rows (the catalog here is an in-memory copy of the rows PostgreSQL has). */
class TypeRegistryTest {

    private final List<Integer> lookups = new ArrayList<>();
    private final Map<Integer, TypeCatalog.Entry> rows = Map.of(
            16390, new TypeCatalog.Entry(16390, "mood", 'e', 0, 0),
            16389, new TypeCatalog.Entry(16389, "_mood", 'b', 16390, 0),
            16400, new TypeCatalog.Entry(16400, "positive_int", 'd', 0, 23),
            16401, new TypeCatalog.Entry(16401, "good_mood", 'd', 0, 16402),
            16402, new TypeCatalog.Entry(16402, "some_mood", 'd', 0, 16390),
            16403, new TypeCatalog.Entry(16403, "_positive_int", 'b', 16400, 0),
            16410, new TypeCatalog.Entry(16410, "point_pair", 'c', 0, 0),
            16411, new TypeCatalog.Entry(16411, "_point_pair", 'b', 16410, 0),
            22, new TypeCatalog.Entry(22, "int2vector", 'b', 0, 0),
            16420, new TypeCatalog.Entry(16420, "int_list", 'd', 0, 1007));
    private final TypeRegistry registry = new TypeRegistry(oid -> {
        lookups.add(oid);
        return rows.get(oid);
    });

    @Test
    void builtinsNeedNoLookup() {
        assertThat(registry.resolve(23)).isSameAs(BuiltinTypes.INT4);
        assertThat(registry.resolve(1007).element()).isSameAs(BuiltinTypes.INT4);
        assertThat(lookups).isEmpty();
    }

    @Test
    void enumsAndTheirArrays() {
        PgType moods = registry.resolve(16389);
        assertThat(moods.kind()).isEqualTo(ValueKind.ARRAY);
        assertThat(moods.name()).isEqualTo("_mood");
        assertThat(moods.element()).isEqualTo(PgType.scalar(16390, "mood", ValueKind.ENUM));
    }

    @Test
    void domainsTakeTheirBaseBranchAndKeepTheirName() {
        PgType positive = registry.resolve(16400);
        assertThat(positive.name()).isEqualTo("positive_int");
        assertThat(positive.kind()).isEqualTo(ValueKind.INT4);
        assertThat(positive.isDomain()).isTrue();
        assertThat(positive.valueType()).isSameAs(BuiltinTypes.INT4);

        PgType nested = registry.resolve(16401);
        assertThat(nested.name()).isEqualTo("good_mood");
        assertThat(nested.valueType().name()).as("flattened to the non-domain base").isEqualTo("mood");

        PgType arrayOfDomain = registry.resolve(16403);
        assertThat(arrayOfDomain.kind()).isEqualTo(ValueKind.ARRAY);
        assertThat(arrayOfDomain.element().name()).isEqualTo("positive_int");

        PgType domainOverArray = registry.resolve(16420);
        assertThat(domainOverArray.kind()).isEqualTo(ValueKind.ARRAY);
        assertThat(domainOverArray.element()).isSameAs(BuiltinTypes.INT4);
    }

    @Test
    void everythingElseIsText() {
        assertThat(registry.resolve(16410)).isEqualTo(PgType.scalar(16410, "point_pair", ValueKind.OTHER));
        assertThat(registry.resolve(16411)).as("array of an unmapped type")
                .isEqualTo(PgType.scalar(16411, "_point_pair", ValueKind.OTHER));
        assertThat(registry.resolve(22).kind()).as("int2vector is no array").isEqualTo(ValueKind.OTHER);
    }

    @Test
    void looksUpOnceThenCaches() {
        registry.resolve(16389);
        registry.resolve(16389);
        registry.resolve(16390);
        assertThat(lookups).containsExactly(16389, 16390);
        registry.forget(16389);
        registry.resolve(16389);
        assertThat(lookups).containsExactly(16389, 16390, 16389);
    }

    @Test
    void unknownOidIsAnError() {
        assertThatThrownBy(() -> registry.resolve(99999)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("99999");
    }

    @Test
    void builtinOnlyResolverRefusesOthers() {
        assertThat(TypeResolver.builtinOnly().resolve(3802)).isSameAs(BuiltinTypes.JSONB);
        assertThatThrownBy(() -> TypeResolver.builtinOnly().resolve(869)).hasMessageContaining("869");
    }
}
