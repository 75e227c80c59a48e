package io.concord.replicator.types;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@link TypeCatalog} over an ordinary JDBC connection (never the replication connection: that one is busy
 * streaming). Each lookup borrows a connection and gives it back; lookups are rare, once per type per process.
 */
public final class JdbcTypeCatalog implements TypeCatalog {

    /** Source of ordinary connections to the database whose types are looked up, e.g. a pool's getConnection. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    // An array type is the one its element's typarray points at; typelem alone also marks int2vector and friends.
    private static final String QUERY = """
            select t.typname, t.typtype, t.typbasetype,
                   case when t.typelem <> 0 and exists (
                            select 1 from pg_catalog.pg_type e where e.oid = t.typelem and e.typarray = t.oid)
                        then t.typelem else 0 end as array_element
              from pg_catalog.pg_type t
             where t.oid = ?""";

    private final Connector connector;

    public JdbcTypeCatalog(Connector connector) {
        this.connector = connector;
    }

    @Override
    public Entry lookup(int oid) {
        try (Connection conn = connector.connect(); PreparedStatement st = conn.prepareStatement(QUERY)) {
            // OIDs are unsigned 32-bit; setLong keeps ones above 2^31 right.
            st.setLong(1, Integer.toUnsignedLong(oid));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Entry(oid, rs.getString(1), rs.getString(2).charAt(0),
                        (int) rs.getLong(4), (int) rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_type for type OID " + Integer.toUnsignedString(oid), e);
        }
    }
}
