package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.ArrayValue;
import io.concord.event.Datum;
import io.concord.event.EnumValue;
import io.concord.event.JsonValue;
import io.concord.event.TextValue;
import io.concord.event.TimestampTzValue;
import io.concord.replicator.capture.pgoutput.Begin;
import io.concord.replicator.capture.pgoutput.Commit;
import io.concord.replicator.capture.pgoutput.Delete;
import io.concord.replicator.capture.pgoutput.Insert;
import io.concord.replicator.capture.pgoutput.LogicalMessage;
import io.concord.replicator.capture.pgoutput.Origin;
import io.concord.replicator.capture.pgoutput.PgOutputMessage;
import io.concord.replicator.capture.pgoutput.Relation;
import io.concord.replicator.capture.pgoutput.TupleData;
import io.concord.replicator.capture.pgoutput.Update;
import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.types.JdbcTypeCatalog;
import io.concord.replicator.types.PgTextCodec;
import io.concord.replicator.types.TypeRegistry;
import io.concord.replicator.types.TypeResolver;
import io.concord.replicator.types.ValueKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real PostgreSQL's pgoutput stream, read through {@link PgOutputStream}: every message type, and every column
 * of every mapped type decoded to the Datum that the same value read over plain JDBC gives.
 */
class PgOutputDecodingIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final String SCHEMA = """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE DOMAIN positive_int AS int4 CHECK (VALUE > 0);
            CREATE TABLE everything (
              id int8 PRIMARY KEY, c_bool bool, c_int2 int2, c_int4 int4, c_float4 float4, c_float8 float8,
              c_numeric numeric, c_price numeric(12,2), c_text text, c_varchar varchar(20), c_bpchar char(6),
              c_name name, c_char "char", c_bytea bytea, c_uuid uuid, c_json json, c_jsonb jsonb, c_date date,
              c_time time, c_timetz timetz, c_timestamp timestamp, c_timestamptz timestamptz,
              c_interval interval, c_mood mood, c_moods mood[], c_positive positive_int, c_matrix int4[],
              c_texts text[], c_inet inet, c_big text);
            ALTER TABLE everything REPLICA IDENTITY FULL;
            CREATE TABLE plain (id int4 PRIMARY KEY, note text, big text);
            -- EXTERNAL: stored out of line uncompressed, so a big value is surely TOASTed.
            ALTER TABLE plain ALTER COLUMN big SET STORAGE EXTERNAL;
            ALTER TABLE everything ALTER COLUMN c_big SET STORAGE EXTERNAL;
            CREATE PUBLICATION concord_it FOR TABLE everything, plain;
            """;

    private static final Instant ORIGIN_TIME = Instant.parse("2024-01-01T00:00:00Z");

    private static final String BIG = "(SELECT string_agg(md5(i::text), '') FROM generate_series(1, 200) i)";

    private static final String ROWS = """
            INSERT INTO everything VALUES
            (1, true, -32768, 2147483647, 0.1, 1e100, 12345678901234567890.123456789, 19.90, 'héllo ✓', 'var',
             'ab', 'a_name', 'x', '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": 1,  "a": [1, 2]}',
             '{"b": 1,  "a": [1, 2]}', '2024-02-29', '04:05:06.789', '04:05:06.5+05:30',
             '2024-02-29 23:59:59.999999', '2024-02-29 23:59:59.5+02', '1 year 2 mons -3 days 04:05:06.789',
             'happy', '{happy,NULL,sad}', 7, '[0:1][1:2]={{1,2},{3,NULL}}',
             '{"a b","",NULL,"q\\"uote","back\\\\slash","NULL"}', '192.168.0.1/24', %s),
            (2, false, 0, -1, 'NaN', '-Infinity', 'Infinity', 0.00, '', '', '', '', '', '\\x',
             '00000000-0000-0000-0000-000000000000', 'null', '[]', '0044-03-15 BC', '24:00:00',
             '00:00:00-15:59', '-infinity', 'infinity', '-00:00:01', 'sad', '{}', 1, '{}', '{}', '::1', 'short'),
            (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
            """.formatted(BIG);

    @Test
    void decodesEveryMessageAndEveryMappedType() throws Exception {
        PostgresServer pg = cluster.postgres("a");
        execute(SCHEMA);
        // Alone: a slot cannot be created in a transaction that has written.
        execute("SELECT pg_create_logical_replication_slot('concord_it', 'pgoutput')");
        execute("SELECT pg_replication_origin_create('concord_b')");
        try (TextRows jdbc = new TextRows(pg.jdbcUrl(), pg.user(), pg.password())) {
            execute(ROWS);
            List<List<String>> inserted = jdbc.query("SELECT * FROM everything ORDER BY id");
            execute("INSERT INTO plain VALUES (1, 'first', " + BIG + ")");
            List<String> plainInserted = jdbc.row("plain", 1);
            execute("UPDATE plain SET note = 'second' WHERE id = 1");
            execute("UPDATE everything SET c_int4 = 43, c_text = 'changed' WHERE id = 1");
            List<String> everythingUpdated = jdbc.row("everything", 1);
            execute("UPDATE plain SET id = 2 WHERE id = 1");
            execute("DELETE FROM plain WHERE id = 2");
            execute("DELETE FROM everything WHERE id = 2");
            execute("TRUNCATE plain RESTART IDENTITY");
            execute("BEGIN; SELECT pg_logical_emit_message(true, 'concord', 'x');"
                    + " INSERT INTO plain VALUES (10, 'with message', NULL); COMMIT");
            execute("SELECT pg_logical_emit_message(false, 'concord', 'y')");
            // One session, three transactions: the origin must still be set when the insert commits.
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_replication_origin_session_setup('concord_b')");
                // Declares where the change came from; without it the origin LSN is 0/0, and the commit time
                // that decoding reports for an origin's transaction is the origin's timestamp: 2000-01-01.
                st.execute("SELECT pg_replication_origin_xact_setup('0/ABCDEF', '" + ORIGIN_TIME + "');"
                        + " INSERT INTO plain VALUES (11, 'from b', NULL)");
                st.execute("SELECT pg_replication_origin_session_reset()");
            }
            execute("SELECT pg_logical_emit_message(false, 'concord-it', 'end')");

            TypeRegistry types = new TypeRegistry(new JdbcTypeCatalog(pg::connect));
            List<WalEvent> events = readSlot(pg, 1, types);
            // Without streaming or two-phase, later protocol versions send the same messages; the slot is
            // confirmed only after the last read, so each read starts from the same place.
            for (int version = 2; version <= 4; version++) {
                assertThat(Transcript.of(readSlot(pg, version, types))).as("protocol version %d", version)
                        .isEqualTo(Transcript.of(events));
            }
            Commit last = events.stream().map(WalEvent::message).filter(Commit.class::isInstance)
                    .map(Commit.class::cast).reduce((a, b) -> b).orElseThrow();
            try (PgOutputStream stream = PgOutputStream.open(pg.jdbcUrl(), pg.user(), pg.password(),
                    WalStreamOptions.of("concord_it", "concord_it"), Lsn.INVALID, types)) {
                stream.confirmFlushed(last.endLsn());
                stream.forceUpdateStatus();
                assertSlotConfirmed(last.endLsn());
            }

            assertThat(Transcript.of(events)).containsExactly(
                    // A domain's TYPE message carries the domain's OID but its base type's name (pgoutput's way).
                    "BEGIN", "TYPE public.mood", "TYPE public._mood", "TYPE .int4",
                    "RELATION public.everything FULL", "INSERT everything", "INSERT everything", "INSERT everything",
                    "COMMIT",
                    "BEGIN", "RELATION public.plain DEFAULT", "INSERT plain", "COMMIT",
                    "BEGIN", "UPDATE plain NONE", "COMMIT",
                    "BEGIN", "UPDATE everything FULL", "COMMIT",
                    "BEGIN", "UPDATE plain KEY", "COMMIT",
                    "BEGIN", "DELETE plain KEY", "COMMIT",
                    "BEGIN", "DELETE everything FULL", "COMMIT",
                    // TRUNCATE invalidates the relation, and pgoutput describes it again before and after.
                    "BEGIN", "RELATION public.plain DEFAULT", "TRUNCATE [plain] restartIdentity", "COMMIT",
                    "BEGIN", "MESSAGE concord x transactional", "RELATION public.plain DEFAULT", "INSERT plain",
                    "COMMIT",
                    "MESSAGE concord y",
                    "BEGIN", "ORIGIN concord_b 0/ABCDEF", "INSERT plain", "COMMIT",
                    "MESSAGE concord-it end");

            List<PgOutputMessage> changes = events.stream().map(WalEvent::message)
                    .filter(m -> m instanceof Insert || m instanceof Update || m instanceof Delete).toList();
            for (int i = 0; i < 3; i++) {
                assertTupleMatches(((Insert) changes.get(i)).newTuple(), inserted.get(i));
            }
            spotChecks(((Insert) changes.get(0)).newTuple(), ((Insert) changes.get(1)).newTuple());

            assertTupleMatches(((Insert) changes.get(3)).newTuple(), plainInserted);
            Update note = (Update) changes.get(4);
            assertThat(note.newTuple().isUnchangedToast(2)).as("big, untouched, is not sent").isTrue();
            assertThat(note.newTuple().text(1)).isEqualTo("second");

            Update full = (Update) changes.get(5);
            int big = full.relation().indexOf("c_big");
            assertThat(full.oldTuple().isUnchangedToast(big)).as("FULL old row carries TOASTed values").isFalse();
            assertThat(full.newTuple().isUnchangedToast(big)).as("untouched TOASTed value is not sent").isTrue();
            assertTupleMatches(full.oldTuple(), inserted.get(0));
            assertTupleMatches(full.newTuple(), everythingUpdated);

            Update keyChange = (Update) changes.get(6);
            assertThat(keyChange.oldTuple().datum(0)).isEqualTo(new Datum(1));
            assertThat(keyChange.oldTuple().isNull(1)).as("non-key columns of a 'K' tuple are not sent").isTrue();
            assertThat(keyChange.newTuple().datum(0)).isEqualTo(new Datum(2));
            assertThat(keyChange.newTuple().isUnchangedToast(2)).as("even when the key changes").isTrue();

            Delete byKey = (Delete) changes.get(7);
            assertThat(byKey.oldTuple().datum(0)).isEqualTo(new Datum(2));
            Delete fullDelete = (Delete) changes.get(8);
            assertTupleMatches(fullDelete.oldTuple(), inserted.get(1));

            assertTransactionFraming(events);
        }
    }

    /** Not an assertion: prints how fast a real stream is read, decoded and turned into Datums. */
    @Test
    void measuresThroughput() throws Exception {
        PostgresServer pg = cluster.postgres("a");
        execute("CREATE TABLE speed (id int8 PRIMARY KEY, name text, amount numeric(12,2), at timestamptz,"
                + " flag bool, score float8); CREATE PUBLICATION speed_pub FOR TABLE speed");
        execute("SELECT pg_create_logical_replication_slot('speed_slot', 'pgoutput')");
        // 100,000 inserts in 5,000 transactions of 20.
        execute("""
                DO $$ BEGIN FOR t IN 0..4999 LOOP
                  INSERT INTO speed SELECT g, 'name ' || g, g * 1.25, now(), g % 2 = 0, g / 7.0
                    FROM generate_series(t * 20, t * 20 + 19) g;
                  COMMIT;
                END LOOP; END $$""");
        execute("SELECT pg_logical_emit_message(false, 'concord-it', 'end')");
        // Twice from the same slot (nothing is confirmed): the first pass warms up the JIT.
        for (String pass : List.of("cold", "warm")) {
            long changes = 0;
            long nulls = 0;
            long start = 0;
            try (PgOutputStream stream = PgOutputStream.open(pg.jdbcUrl(), pg.user(), pg.password(),
                    WalStreamOptions.of("speed_slot", "speed_pub"), Lsn.INVALID, TypeResolver.builtinOnly())) {
                while (true) {
                    PgOutputMessage m = stream.read().message();
                    if (start == 0) {
                        start = System.nanoTime(); // from the first message: connecting is not decoding
                    }
                    if (m instanceof Insert insert) {
                        TupleData row = insert.newTuple();
                        for (int i = 0; i < row.size(); i++) {
                            nulls += row.datum(i).getValue() == null ? 1 : 0;
                        }
                        changes++;
                    } else if (m instanceof LogicalMessage lm && lm.prefix().equals("concord-it")) {
                        break;
                    }
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("pgoutput stream (%s): %d inserts of 6 columns read, decoded and converted to Datums"
                    + " in %d ms (%.0f changes/s)%n", pass, changes, millis, changes * 1000.0 / Math.max(1, millis));
            assertThat(changes).isEqualTo(100_000);
            assertThat(nulls).isZero();
        }
    }

    /** Values checked against what they must be, not only against JDBC. */
    private static void spotChecks(TupleData row1, TupleData row2) {
        Relation everything = row1.relation();
        assertThat(row1.datum(everything.indexOf("c_int4"))).isEqualTo(new Datum(Integer.MAX_VALUE));
        assertThat(row1.datum(everything.indexOf("c_float8"))).isEqualTo(new Datum(1e100));
        assertThat(row1.datum(everything.indexOf("c_float4"))).isEqualTo(new Datum(0.1f));
        assertThat(row1.datum(everything.indexOf("c_timestamptz"))).isEqualTo(new Datum(new TimestampTzValue(
                ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2024-02-29T21:59:59.500Z")))));
        assertThat(row1.datum(everything.indexOf("c_mood"))).isEqualTo(new Datum(new EnumValue("mood", "happy")));
        assertThat(row1.datum(everything.indexOf("c_moods"))).isEqualTo(new Datum(new ArrayValue("mood",
                List.of(3), List.of(1), List.of(new Datum(new EnumValue("mood", "happy")), new Datum(null),
                        new Datum(new EnumValue("mood", "sad"))))));
        assertThat(row1.datum(everything.indexOf("c_matrix"))).isEqualTo(new Datum(new ArrayValue("int4",
                List.of(2, 2), List.of(0, 1), List.of(new Datum(1), new Datum(2), new Datum(3), new Datum(null)))));
        assertThat(everything.column(everything.indexOf("c_positive")).type().name()).isEqualTo("positive_int");
        assertThat(everything.column(everything.indexOf("c_positive")).type().kind()).isEqualTo(ValueKind.INT4);
        assertThat(row1.datum(everything.indexOf("c_positive"))).isEqualTo(new Datum(7));
        assertThat(row1.datum(everything.indexOf("c_inet"))).isEqualTo(new Datum(new TextValue("inet", "192.168.0.1/24")));
        assertThat(row1.datum(everything.indexOf("c_json")))
                .isEqualTo(new Datum(new JsonValue("{\"b\": 1,  \"a\": [1, 2]}", false)));
        assertThat(row1.datum(everything.indexOf("c_jsonb")))
                .isEqualTo(new Datum(new JsonValue("{\"a\": [1, 2], \"b\": 1}", true)));
        assertThat(row1.text(everything.indexOf("c_big"))).hasSize(6400);
        assertThat(row2.text(everything.indexOf("c_date"))).isEqualTo("0044-03-15 BC");
        assertThat(row2.text(everything.indexOf("c_float8"))).isEqualTo("-Infinity");
    }

    /** Every column: the same text as JDBC read, the Datum of that text, and the Datum writes back that text. */
    private static void assertTupleMatches(TupleData tuple, List<String> jdbcRow) {
        assertThat(tuple.size()).isEqualTo(jdbcRow.size());
        for (int i = 0; i < tuple.size(); i++) {
            String column = tuple.relation().qualifiedName() + "." + tuple.relation().column(i).name();
            if (tuple.isUnchangedToast(i)) {
                continue;
            }
            String expected = jdbcRow.get(i);
            assertThat(tuple.text(i)).as(column).isEqualTo(expected);
            Datum datum = tuple.datum(i);
            Datum fromJdbc = expected == null ? new Datum(null)
                    : PgTextCodec.decode(tuple.relation().column(i).type(), expected);
            assertThat(datum).as(column).isEqualTo(fromJdbc);
            assertThat(PgTextCodec.encode(datum)).as(column + " written back").isEqualTo(expected);
        }
    }

    /**
     * BEGIN's final LSN is its COMMIT's LSN; row changes lie between them in WAL order; the commit time is now,
     * except for a transaction with a replication origin, which reports the origin's declared timestamp.
     */
    private static void assertTransactionFraming(List<WalEvent> events) {
        Begin begin = null;
        boolean fromOrigin = false;
        Lsn previous = Lsn.INVALID;
        long now = System.currentTimeMillis() * 1000;
        for (WalEvent event : events) {
            if (event.message() instanceof Begin b) {
                begin = b;
                fromOrigin = false;
            } else if (event.message() instanceof Origin) {
                fromOrigin = true;
            } else if (event.message() instanceof Commit c) {
                assertThat(c.commitLsn()).isEqualTo(begin.finalLsn());
                assertThat(c.endLsn()).isGreaterThan(c.commitLsn());
                assertThat(c.commitTimeMicros()).isEqualTo(begin.commitTimeMicros());
                if (fromOrigin) {
                    assertThat(c.commitTimeMicros()).isEqualTo(ORIGIN_TIME.toEpochMilli() * 1000);
                } else {
                    assertThat(c.commitTimeMicros()).isCloseTo(now, Offset.offset(600_000_000L));
                }
                begin = null;
            } else if (event.message() instanceof Insert || event.message() instanceof Update
                    || event.message() instanceof Delete) {
                assertThat(begin).as("a row change inside a transaction").isNotNull();
                assertThat(event.lsn()).isGreaterThanOrEqualTo(previous);
                previous = event.lsn();
            }
        }
    }

    /** Everything in the slot up to the end marker, read with this protocol version. */
    private static List<WalEvent> readSlot(PostgresServer pg, int protocolVersion, TypeRegistry types)
            throws Exception {
        WalStreamOptions options = new WalStreamOptions("concord_it", List.of("concord_it"), protocolVersion, true,
                null, Duration.ofSeconds(10));
        List<WalEvent> events = new ArrayList<>();
        try (PgOutputStream stream = PgOutputStream.open(pg.jdbcUrl(), pg.user(), pg.password(), options,
                Lsn.INVALID, types)) {
            readUntilEnd(stream, events);
        }
        return events;
    }

    private static void readUntilEnd(PgOutputStream stream, List<WalEvent> events) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            WalEvent event = stream.readPending();
            if (event == null) {
                Thread.sleep(10);
                continue;
            }
            events.add(event);
            if (event.message() instanceof LogicalMessage m && m.prefix().equals("concord-it")) {
                return;
            }
        }
        throw new AssertionError("no end marker within 60 s; read " + Transcript.of(events));
    }

    private static void assertSlotConfirmed(Lsn lsn) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Connection c = cluster.postgres("a").connect(); Statement st = c.createStatement();
                    var rs = st.executeQuery("SELECT confirmed_flush_lsn FROM pg_replication_slots"
                            + " WHERE slot_name = 'concord_it'")) {
                rs.next();
                if (!Lsn.parse(rs.getString(1)).isBefore(lsn)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("slot did not confirm " + lsn + " within 30 s");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = cluster.postgres("a").connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
