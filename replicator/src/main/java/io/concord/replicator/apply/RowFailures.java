package io.concord.replicator.apply;

import io.concord.event.Column;
import io.concord.replicator.store.RowImages;
import io.concord.replicator.store.RowKey;
import io.concord.replicator.store.RowStateStore;
import io.concord.replicator.store.StoredRowState;
import io.concord.version.RowVersion;
import io.concord.replicator.types.DatumBinder;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns a failed write of one row into the dead letter's class and reason: which constraint, the incoming
 * row, and for a unique violation the local row that already holds the value — and the conflict between them.
 */
final class RowFailures {

    static final int MAX_ROW_CHARS = 1_000;

    private RowFailures() {
    }

    /** Whether a failure of this SQLSTATE belongs to the row, not to the batch or the connection. */
    static boolean isRowLevel(String sqlState) {
        return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState.equals("42703")
                || sqlState.equals("42P01") || sqlState.equals("42804"));
    }

    /** The dead letter's {@code error_class} for a row-level SQLSTATE. */
    static String errorClass(String sqlState) {
        if (sqlState.startsWith("23")) {
            return "CONSTRAINT";
        }
        return sqlState.startsWith("22") ? "DATA" : "SCHEMA";
    }

    /** Why a row was refused, and for a unique violation the conflict to record with it. */
    record Refusal(String reason, Optional<UniqueViolation> conflict) {
    }

    /**
     * The reason, naming the table, key, condition and rows; for a unique violation also the conflict between
     * the incoming row and the local row that holds the value. Reads on {@code connection} (the failed
     * transaction is rolled back by then).
     */
    static Refusal refusal(Connection connection, UserRows.RowFailure failure) {
        Target target = failure.target;
        SQLException error = failure.sqlException();
        String incoming = target.state.current().isTombstone() ? "(delete)"
                : abbreviate(ConflictWriter.row(target.state.current().row(), target.types()));
        StringBuilder reason = new StringBuilder();
        reason.append(condition(error.getSQLState())).append(" applying ").append(target.key).append(": ")
                .append(error.getMessage()).append("; incoming row ").append(incoming);
        Optional<UniqueViolation> conflict = Optional.empty();
        if ("23505".equals(error.getSQLState())) {
            Optional<String> constraint = constraint(error);
            Optional<Holder> holder = constraint.flatMap(name -> holder(connection, target, name));
            holder.ifPresent(local -> reason.append("; local row holding the value ").append(abbreviate(local.row())));
            if (holder.isPresent() && holder.get().key() != null && !target.state.current().isTombstone()) {
                conflict = Optional.of(conflict(connection, target, constraint.get(), holder.get(), incoming));
            }
        }
        return new Refusal(reason.toString(), conflict);
    }

    private static UniqueViolation conflict(Connection connection, Target target, String constraint, Holder local,
            String incoming) {
        String incomingVersion = ConflictWriter.version(target.state.current().version());
        // The local row's version, in the same forms as the incoming one's, so both DCs derive the same id.
        RowVersion localVersion = null;
        try {
            StoredRowState stored = new RowStateStore().load(connection, Set.of(local.key())).get(local.key());
            localVersion = stored == null ? null : stored.state().current().version();
        } catch (SQLException | RuntimeException e) {
            localVersion = null; // a row written before Concord, or unreadable: no version to show
        }
        String origin = target.state.current().version().dc().value();
        return new UniqueViolation(UniqueViolation.id(target.table.qualifiedName(), target.key.key(),
                target.state.current().version().toString(), local.key().key(),
                localVersion == null ? "none" : localVersion.toString()),
                target.table.qualifiedName(), constraint, ConflictWriter.row(target.keyImage, target.types()), incoming,
                incomingVersion, origin, local.row(), localVersion == null ? "{}" : ConflictWriter.version(localVersion),
                localVersion == null ? "unknown" : localVersion.dc().value(),
                target.table.reconciler().resolver().name());
    }

    /**
     * A row's JSON cut to {@value #MAX_ROW_CHARS} characters: a reason names what is wrong, and a value of megabytes
     * (the very thing a length limit refused) would flood the log and the dead-letter topic; the payload keeps it.
     */
    static String abbreviate(String row) {
        return row.length() <= MAX_ROW_CHARS ? row
                : row.substring(0, MAX_ROW_CHARS) + "... (" + row.length() + " characters in all)";
    }

    private static String condition(String sqlState) {
        return switch (sqlState) {
            case "23505" -> "unique_violation";
            case "23503" -> "foreign_key_violation";
            case "23502" -> "not_null_violation";
            case "23514" -> "check_violation";
            case "42703" -> "undefined_column";
            case "42P01" -> "undefined_table";
            default -> "SQLSTATE " + sqlState;
        };
    }

    private static Optional<String> constraint(SQLException error) {
        if (error instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null && server.getConstraint() != null) {
                return Optional.of(server.getConstraint());
            }
        }
        return Optional.empty();
    }

    /** The local row holding a unique value: its JSON, and its key (null when it cannot be read). */
    private record Holder(String row, RowKey key) {
    }

    /** The row of the target's table that holds the incoming row's values of the unique index {@code index}. */
    private static Optional<Holder> holder(Connection connection, Target target, String index) {
        ApplyTable table = target.table;
        try {
            List<String> columns;
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum))
                      FROM pg_index i
                      JOIN pg_class ic ON ic.oid = i.indexrelid
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                     WHERE ic.relname = ? AND i.indrelid = ?::regclass""")) {
                statement.setString(1, index);
                statement.setString(2, table.quotedName());
                try (ResultSet rs = statement.executeQuery()) {
                    Array names = rs.next() ? rs.getArray(1) : null;
                    if (names == null) {
                        return Optional.empty();
                    }
                    columns = List.of((String[]) names.getArray());
                }
            }
            Map<String, Column> values = RowImages.toColumns(target.state.current().row(), target.types()).stream()
                    .collect(Collectors.toMap(Column::getName, c -> c));
            if (!values.keySet().containsAll(columns)) {
                return Optional.empty();
            }
            String keyTexts = table.keyColumns().stream().map(c -> "t." + ApplyTable.quote(c) + "::text")
                    .collect(Collectors.joining(", "));
            String sql = "SELECT row_to_json(t)::text, " + keyTexts + " FROM " + table.quotedName() + " t WHERE "
                    + columns.stream().map(c -> "t." + ApplyTable.quote(c) + " = " + table.parameter(c))
                    .collect(Collectors.joining(" AND "));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < columns.size(); i++) {
                    DatumBinder.bind(statement, i + 1, values.get(columns.get(i)).getValue());
                }
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    List<String> key = new ArrayList<>();
                    for (int i = 0; i < table.keyColumns().size(); i++) {
                        key.add(rs.getString(i + 2));
                    }
                    return Optional.of(new Holder(rs.getString(1), RowKey.ofTexts(table.qualifiedName(), key)));
                }
            }
        } catch (SQLException | RuntimeException e) {
            return Optional.of(new Holder("(not readable: " + e.getMessage() + ")", null));
        }
    }
}
