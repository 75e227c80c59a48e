package io.concord.replicator.types;

/** Where {@link TypeRegistry} reads the {@code pg_type} rows of types it does not know by heart. */
@FunctionalInterface
public interface TypeCatalog {

    /**
     * The catalog row of one type, or null when no type has this OID.
     *
     * @throws IllegalStateException if the catalog cannot be read (the cause says why)
     */
    Entry lookup(int oid);

    /**
     * The columns of {@code pg_type} that decide a type's mapping.
     *
     * @param oid         the type's OID
     * @param name        {@code typname}
     * @param typtype     {@code typtype}: 'b' base, 'c' composite, 'd' domain, 'e' enum, 'p' pseudo, 'r' range,
     *                    'm' multirange
     * @param elementOid  the element type when this is the array type of that element, else 0 (not merely
     *                    {@code typelem}: int2vector, oidvector, name and point have one too and are no arrays)
     * @param baseTypeOid {@code typbasetype}: the base type of a domain, else 0
     */
    record Entry(int oid, String name, char typtype, int elementOid, int baseTypeOid) {
    }
}
