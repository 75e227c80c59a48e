package io.concord.replicator.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Plain SQL against one DC of a {@link ClusterFixture}, for the ITs that compare DCs. */
public record DcSql(ClusterFixture cluster) {

    public void sql(String dc, String sql) throws Exception {
        try (Connection connection = cluster.postgres(dc).connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public String query(String dc, String sql) throws Exception {
        try (Connection connection = cluster.postgres(dc).connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** An md5 of the rows of {@code table} matching {@code where}, ordered by {@code id}: equal rows, equal sums. */
    public String checksum(String dc, String table, String where) throws Exception {
        return query(dc, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM " + table + " t WHERE " + where);
    }
}
