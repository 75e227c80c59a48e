package io.concord.replicator.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.Datum;
import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.testing.ClusterFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The codec against a real PostgreSQL, on random values of every mapped type: the text the codec writes is
 * exactly what PostgreSQL prints for that value, and {@link DatumBinder} with {@code ?::typname} stores the value
 * the Datum holds.
 */
class PgTextCodecIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final int VALUES_PER_TYPE = 1500;
    private static Connection connection;

    @BeforeAll
    static void connect() throws SQLException {
        PostgresServer pg = cluster.postgres("a");
        Properties props = new Properties();
        props.setProperty("user", pg.user());
        props.setProperty("password", pg.password());
        props.setProperty("binaryTransfer", "false");
        connection = DriverManager.getConnection(pg.jdbcUrl(), props);
        try (Statement st = connection.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'très content', 'with space')");
        }
    }

    @AfterAll
    static void disconnect() throws SQLException {
        connection.close();
    }

    @Test
    void writesWhatPostgresPrints() throws SQLException {
        List<PgType> types = new ArrayList<>(RandomDatums.SCALARS);
        types.add(BuiltinTypes.JSONB);
        types.add(RandomDatums.MOOD);
        for (PgType type : types) {
            assertPrintedAlike(type, type.name(), VALUES_PER_TYPE, type.oid());
        }
        RandomDatums arrays = new RandomDatums(11);
        for (int i = 0; i < 300; i++) {
            PgType type = arrays.randomArrayType();
            assertPrintedAlike(type, type.element().name() + "[]", 5, i);
        }
    }

    @Test
    void bindsEveryBranchThroughACast() throws SQLException {
        List<PgType> types = new ArrayList<>(RandomDatums.SCALARS);
        types.add(RandomDatums.MOOD);
        types.add(BuiltinTypes.arrayOf(BuiltinTypes.TIMESTAMPTZ));
        types.add(PgType.array(0, "_mood", RandomDatums.MOOD));
        for (PgType type : types) {
            String sqlType = type.kind() == ValueKind.ARRAY ? type.element().name() + "[]" : type.name();
            RandomDatums random = new RandomDatums(type.oid() + 99);
            try (PreparedStatement ps = connection.prepareStatement("SELECT ?::" + sqlType)) {
                for (int i = 0; i < 200; i++) {
                    Datum datum = i == 0 ? new Datum(null) : random.next(type);
                    DatumBinder.bind(ps, 1, datum);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        String text = rs.getString(1);
                        Datum stored = text == null ? new Datum(null) : PgTextCodec.decode(type, text);
                        assertThat(stored).as("%s bound as %s", sqlType, datum).isEqualTo(datum);
                    }
                }
            }
        }
    }

    /** Writes random values, has PostgreSQL read and print each one, and compares the prints. */
    private static void assertPrintedAlike(PgType type, String sqlType, int count, long seed) throws SQLException {
        RandomDatums random = new RandomDatums(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add(PgTextCodec.encode(random.next(type)));
        }
        // concat() prints with the type's output function (a ::text cast would print bool as "true").
        String sql = "SELECT x, concat(x::" + sqlType + ") FROM unnest(?::text[]) WITH ORDINALITY AS u(x, i) ORDER BY i";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setArray(1, connection.createArrayOf("text", texts.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).as(sqlType).isEqualTo(rs.getString(2));
                }
            }
        }
    }
}
