package io.concord.replicator.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The demo's application: four tables, one per built-in resolver, each recording its conflicts
 * ({@code record: true}) so that the demo can show every kind.
 */
final class DemoSchema {

    static final int ACCOUNTS = 100;
    static final int PROFILES = 100;
    static final int SKUS = 50;
    static final int ORDERS = 50;
    static final long OPENING_BALANCE = 1_000;

    /** A demo table: its name, its key column, and what the demo shows with it. */
    record DemoTable(String name, String key, String resolverYaml, String shows) {
    }

    static List<DemoTable> tables(List<String> dcs) {
        return List.of(
                new DemoTable("accounts", "id", "{name: merge, columns: {balance: counter}, record: true}",
                        "merge: concurrent balance deltas add up (counter)"),
                new DemoTable("profiles", "id", "{name: lww, record: true}",
                        "lww: the later write of a profile wins"),
                new DemoTable("inventory", "sku", "{name: priority, order: [" + String.join(", ", dcs) + "], record: true}",
                        "priority: " + dcs.get(0) + "'s write of a stock level wins"),
                new DemoTable("orders", "id", "record",
                        "record: last writer wins, every conflicting version kept in concord.conflicts"));
    }

    /** The YAML {@code tables:} block. */
    static String tablesYaml(List<String> dcs) {
        StringBuilder yaml = new StringBuilder();
        for (DemoTable table : tables(dcs)) {
            yaml.append("  - name: ").append(table.name()).append('\n')
                    .append("    resolver: ").append(table.resolverYaml()).append('\n');
        }
        return yaml.toString();
    }

    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE accounts (id int8 PRIMARY KEY, owner text NOT NULL, balance int8 NOT NULL);
                    CREATE TABLE profiles (id int8 PRIMARY KEY, name text NOT NULL, email text, updated_at timestamptz);
                    CREATE TABLE inventory (sku text PRIMARY KEY, qty int4 NOT NULL, location text);
                    CREATE TABLE orders (id int8 PRIMARY KEY, customer int8 NOT NULL, status text NOT NULL,
                                         total numeric(12, 2) NOT NULL)""");
        }
    }

    /** The starting rows, written in one DC (the others receive them). */
    static void seed(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO accounts SELECT i, 'owner-' || i, " + OPENING_BALANCE
                    + " FROM generate_series(1, " + ACCOUNTS + ") i");
            statement.execute("INSERT INTO profiles SELECT i, 'user ' || i, 'user' || i || '@example.com', now()"
                    + " FROM generate_series(1, " + PROFILES + ") i");
            statement.execute("INSERT INTO inventory SELECT 'sku-' || lpad(i::text, 3, '0'), 100, 'shelf ' || i"
                    + " FROM generate_series(1, " + SKUS + ") i");
            statement.execute("INSERT INTO orders SELECT i, 1 + i % " + ACCOUNTS + ", 'placed', 10 * i"
                    + " FROM generate_series(1, " + ORDERS + ") i");
        }
    }

    private DemoSchema() {
    }
}
