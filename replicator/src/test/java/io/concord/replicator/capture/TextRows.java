package io.concord.replicator.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads rows over plain JDBC as PostgreSQL's text output, in the session settings a replication stream pins: the
 * independent witness that what pgoutput sent is the column's value.
 */
final class TextRows implements AutoCloseable {

    private final Connection connection;

    TextRows(String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        // Text results only: with binary transfer, getString would print a float or a date the Java way.
        props.setProperty("binaryTransfer", "false");
        connection = DriverManager.getConnection(jdbcUrl, props);
        try (Statement st = connection.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("SET IntervalStyle = 'postgres'");
            st.execute("SET bytea_output = 'hex'");
            st.execute("SET extra_float_digits = 1");
        }
    }

    /** Each row of the query as the text of each column (null for NULL). */
    List<List<String>> query(String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    List<String> row(String table, long id) throws SQLException {
        List<List<String>> rows = query("SELECT * FROM " + table + " WHERE id = " + id);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row " + id + " in " + table + ", found " + rows.size());
        }
        return rows.get(0);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
