package io.concord.replicator.capture.pgoutput;

/**
 * TYPE ('Y'): names a non-built-in type used by a column of the next RELATION message.
 *
 * <p>For a domain, pgoutput sends the domain's OID with its base type's namespace and name ({@code .int4} for a
 * domain over int4), so these names identify nothing reliably; types are resolved by OID from the catalog.
 *
 * @param oid       the type's OID
 * @param namespace the type's schema ("" for pg_catalog)
 * @param name      the type's name
 */
public record TypeMessage(int oid, String namespace, String name) implements ControlMessage {
}
