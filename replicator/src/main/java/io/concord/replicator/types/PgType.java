package io.concord.replicator.types;

import java.util.Objects;

/**
 * A PostgreSQL type as the codec sees it: OID, name ({@code pg_type.typname}), the Datum branch its values take,
 * and for arrays the element type, for domains the base type.
 *
 * <p>A domain takes its base type's kind and branch but keeps its own OID and name: events name the column's
 * declared type, while the value is read and written as the base type would be.
 *
 * @param oid     the type's OID
 * @param name    {@code pg_type.typname}, unqualified
 * @param kind    the Datum branch of its values (for a domain, the base's)
 * @param element for {@link ValueKind#ARRAY}, the element type (for an array domain, the base's element); else null
 * @param base    for a domain, the base type (never itself a domain); else null
 */
public record PgType(int oid, String name, ValueKind kind, PgType element, PgType base) {

    public PgType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if ((kind == ValueKind.ARRAY) != (element != null)) {
            throw new IllegalArgumentException("an element type is given exactly for arrays: " + name);
        }
        if (base != null && base.base != null) {
            throw new IllegalArgumentException("a domain's base is resolved to a non-domain type: " + name);
        }
    }

    /** A type that is neither an array nor a domain. */
    public static PgType scalar(int oid, String name, ValueKind kind) {
        return new PgType(oid, name, kind, null, null);
    }

    /** An array of {@code element}; an array of an unmapped element type is itself unmapped (TextValue). */
    public static PgType array(int oid, String name, PgType element) {
        if (element.valueType().kind() == ValueKind.OTHER) {
            return scalar(oid, name, ValueKind.OTHER);
        }
        return new PgType(oid, name, ValueKind.ARRAY, element, null);
    }

    /** A domain over {@code base}, which may itself be a domain (it is flattened to the non-domain base). */
    public static PgType domain(int oid, String name, PgType base) {
        PgType root = base.valueType();
        return new PgType(oid, name, root.kind, root.element, root);
    }

    /** The type whose text form values actually have: the base of a domain, else this type. */
    public PgType valueType() {
        return base == null ? this : base;
    }

    public boolean isDomain() {
        return base != null;
    }

    @Override
    public String toString() {
        return name + "(" + oid + ")";
    }
}
