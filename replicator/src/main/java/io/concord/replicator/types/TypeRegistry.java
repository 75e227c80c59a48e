package io.concord.replicator.types;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves type OIDs to {@link PgType}: built-in mapped types statically, every other type (enums, arrays of
 * them, domains, composites, extension types, unmapped built-ins) from the catalog once, then from a cache.
 * Thread-safe; shared by capture and apply.
 *
 * <p>Caching by OID is safe because a type keeps its OID for life and its kind cannot change; only a rename
 * ({@code ALTER TYPE ... RENAME}) changes what we hold, and {@link #forget} drops the entry when pgoutput
 * announces the type again in a TYPE message.
 */
public final class TypeRegistry implements TypeResolver {

    // Domains over domains over arrays: real chains are short; a longer one means a cycle we must not follow.
    private static final int MAX_DEPTH = 32;

    private final TypeCatalog catalog;
    private final Map<Integer, PgType> cache = new ConcurrentHashMap<>();

    public TypeRegistry(TypeCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public PgType resolve(int oid) {
        PgType builtin = BuiltinTypes.byOid(oid);
        if (builtin != null) {
            return builtin;
        }
        PgType cached = cache.get(oid);
        return cached != null ? cached : load(oid, 0);
    }

    /** Drops what is cached for this OID, so that the next {@link #resolve} reads the catalog again. */
    public void forget(int oid) {
        cache.remove(oid);
    }

    private PgType load(int oid, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("type OID " + Integer.toUnsignedString(oid) + " nests too deeply");
        }
        TypeCatalog.Entry entry = catalog.lookup(oid);
        if (entry == null) {
            throw new IllegalStateException("no type with OID " + Integer.toUnsignedString(oid) + " in pg_type");
        }
        PgType type;
        if (entry.typtype() == 'd') {
            type = PgType.domain(oid, entry.name(), resolveNested(entry.baseTypeOid(), depth));
        } else if (entry.typtype() == 'e') {
            type = PgType.scalar(oid, entry.name(), ValueKind.ENUM);
        } else if (entry.elementOid() != 0) {
            type = PgType.array(oid, entry.name(), resolveNested(entry.elementOid(), depth));
        } else {
            type = PgType.scalar(oid, entry.name(), ValueKind.OTHER);
        }
        // Two threads may load the same type; both results are equal, keep the first.
        PgType previous = cache.putIfAbsent(oid, type);
        return previous != null ? previous : type;
    }

    private PgType resolveNested(int oid, int depth) {
        PgType builtin = BuiltinTypes.byOid(oid);
        if (builtin != null) {
            return builtin;
        }
        PgType cached = cache.get(oid);
        return cached != null ? cached : load(oid, depth + 1);
    }
}
