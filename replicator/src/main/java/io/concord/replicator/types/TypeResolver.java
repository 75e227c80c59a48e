package io.concord.replicator.types;

/** Finds the {@link PgType} of a type OID, as columns of a pgoutput RELATION message name them. */
@FunctionalInterface
public interface TypeResolver {

    /**
     * The type with this OID.
     *
     * @throws IllegalStateException if the type cannot be found or looked up
     */
    PgType resolve(int oid);

    /** A resolver for the built-in mapped types only: any other OID is an error. For tests and tools. */
    static TypeResolver builtinOnly() {
        return oid -> {
            PgType type = BuiltinTypes.byOid(oid);
            if (type == null) {
                throw new IllegalStateException("type OID " + oid + " is not a built-in mapped type");
            }
            return type;
        };
    }
}
