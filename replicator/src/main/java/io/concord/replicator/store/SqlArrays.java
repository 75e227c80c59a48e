package io.concord.replicator.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds Java arrays as SQL array parameters of one statement, and frees them with it: the stores send
 * many rows in one statement as parallel arrays that the server unnests.
 */
final class SqlArrays implements AutoCloseable {

    private final Connection connection;
    private final PreparedStatement statement;
    private final List<Array> bound = new ArrayList<>();

    SqlArrays(Connection connection, PreparedStatement statement) {
        this.connection = connection;
        this.statement = statement;
    }

    /** Binds {@code elements} as parameter {@code index}, an array of PostgreSQL type {@code elementType}. */
    void bind(int index, String elementType, Object[] elements) throws SQLException {
        Array array = connection.createArrayOf(elementType, elements);
        bound.add(array);
        statement.setArray(index, array);
    }

    @Override
    public void close() throws SQLException {
        for (Array array : bound) {
            array.free();
        }
    }
}
