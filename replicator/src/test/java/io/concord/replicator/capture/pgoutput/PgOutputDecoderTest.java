package io.concord.replicator.capture.pgoutput;

import static io.concord.replicator.capture.pgoutput.MessageBytes.UNCHANGED;
import static io.concord.replicator.capture.pgoutput.MessageBytes.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.Datum;
import io.concord.event.EnumValue;
import io.concord.event.JsonValue;
import io.concord.replicator.capture.Lsn;
import io.concord.replicator.types.BuiltinTypes;
import io.concord.replicator.types.PgTextCodec;
import io.concord.replicator.types.PgType;
import io.concord.replicator.types.TypeCatalog;
import io.concord.replicator.types.TypeRegistry;
import io.concord.replicator.types.ValueKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every pgoutput message type, decoded from bytes built by hand. */
class PgOutputDecoderTest {

    private static final int ACCOUNTS = 16384;
    private static final int MOOD_OID = 16390;
    // 2024-05-01T10:00:00Z in PostgreSQL's epoch (2000-01-01), microseconds.
    private static final long PG_TIME = ChronoUnit.MICROS.between(Instant.parse("2000-01-01T00:00:00Z"),
            Instant.parse("2024-05-01T10:00:00Z"));
    private static final long UNIX_TIME = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli() * 1000;

    private PgOutputDecoder decoder;

    @BeforeEach
    void setUp() {
        // Enums are not built in: a tiny catalog stands in for pg_type.
        TypeCatalog catalog = oid -> oid == MOOD_OID ? new TypeCatalog.Entry(oid, "mood", 'e', 0, 0) : null;
        decoder = new PgOutputDecoder(new TypeRegistry(catalog));
    }

    @Test
    void begin() {
        var msg = decoder.decode(message('B').int64(0x16_B374D848L).int64(PG_TIME).int32(0xFFFFFFFE).build());
        assertThat(msg).isEqualTo(new Begin(Lsn.parse("16/B374D848"), UNIX_TIME, 4294967294L));
    }

    @Test
    void commit() {
        var msg = decoder.decode(message('C').int8(0).int64(0x100).int64(0x130).int64(PG_TIME).build());
        assertThat(msg).isEqualTo(new Commit(0, Lsn.of(0x100), Lsn.of(0x130), UNIX_TIME));
    }

    @Test
    void origin() {
        var msg = decoder.decode(message('O').int64(0x2A).string("concord_b").build());
        assertThat(msg).isEqualTo(new Origin(Lsn.of(0x2A), "concord_b"));
    }

    @Test
    void relationResolvesColumnTypesAndIsCached() {
        Relation relation = accounts();
        assertThat(relation.oid()).isEqualTo(ACCOUNTS);
        assertThat(relation.qualifiedName()).isEqualTo("public.accounts");
        assertThat(relation.replicaIdentity()).isEqualTo(ReplicaIdentity.FULL);
        assertThat(relation.columns()).extracting(RelationColumn::name)
                .containsExactly("id", "name", "balance", "mood", "doc");
        assertThat(relation.columns()).extracting(RelationColumn::key)
                .containsExactly(true, false, false, false, false);
        assertThat(relation.column(1).typeModifier()).isEqualTo(14);
        assertThat(relation.column(3).type()).isEqualTo(PgType.scalar(MOOD_OID, "mood", ValueKind.ENUM));
        assertThat(decoder.relation(ACCOUNTS)).isSameAs(relation);
    }

    @Test
    void type() {
        var msg = decoder.decode(message('Y').int32(MOOD_OID).string("public").string("mood").build());
        assertThat(msg).isEqualTo(new TypeMessage(MOOD_OID, "public", "mood"));
    }

    @Test
    void insert() {
        accounts();
        var msg = decoder.decode(message('I').int32(ACCOUNTS).int8('N')
                .tuple("1", "Zoë", "12.50", "happy", null).build());
        Insert insert = (Insert) msg;
        assertThat(insert.relation()).isSameAs(decoder.relation(ACCOUNTS));
        TupleData row = insert.newTuple();
        assertThat(row.size()).isEqualTo(5);
        assertThat(row.datum(0)).isEqualTo(new Datum(1L));
        assertThat(row.text(1)).isEqualTo("Zoë");
        assertThat(row.datum(1)).isEqualTo(new Datum("Zoë"));
        assertThat(PgTextCodec.encode(row.datum(2))).isEqualTo("12.50");
        assertThat(row.datum(3)).isEqualTo(new Datum(new EnumValue("mood", "happy")));
        assertThat(row.kind(4)).isEqualTo(TupleData.Kind.NULL);
        assertThat(row.datum(4)).isEqualTo(new Datum(null));
        assertThat(row.toString()).isEqualTo("(id='1', name='Zoë', balance='12.50', mood='happy', doc=NULL)");
    }

    @Test
    void updateWithoutOldTuple() {
        accounts();
        Update update = (Update) decoder.decode(message('U').int32(ACCOUNTS).int8('N')
                .tuple("1", "Zoë", "0", "sad", UNCHANGED).build());
        assertThat(update.oldImage()).isEqualTo(OldImage.NONE);
        assertThat(update.oldTuple()).isNull();
        assertThat(update.newTuple().isUnchangedToast(4)).isTrue();
        assertThat(update.newTuple().kind(4)).isEqualTo(TupleData.Kind.UNCHANGED_TOAST);
        assertThatThrownBy(() -> update.newTuple().datum(4))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("doc of public.accounts");
    }

    @Test
    void updateWithKeyAndWithOldRow() {
        accounts();
        Update keyChange = (Update) decoder.decode(message('U').int32(ACCOUNTS)
                .int8('K').tuple("1", null, null, null, null)
                .int8('N').tuple("2", "Zoë", "0", "sad", "{}").build());
        assertThat(keyChange.oldImage()).isEqualTo(OldImage.KEY);
        assertThat(keyChange.oldTuple().datum(0)).isEqualTo(new Datum(1L));
        assertThat(keyChange.newTuple().datum(0)).isEqualTo(new Datum(2L));
        assertThat(keyChange.newTuple().datum(4)).isEqualTo(new Datum(new JsonValue("{}", true)));

        Update full = (Update) decoder.decode(message('U').int32(ACCOUNTS)
                .int8('O').tuple("1", "Zoë", "1", "ok", UNCHANGED)
                .int8('N').tuple("1", "Zoë", "2", "ok", UNCHANGED).build());
        assertThat(full.oldImage()).isEqualTo(OldImage.FULL);
        assertThat(full.oldTuple().text(3)).isEqualTo("ok");
        assertThat(full.oldTuple().isUnchangedToast(4)).isTrue();
    }

    @Test
    void delete() {
        accounts();
        Delete byKey = (Delete) decoder.decode(message('D').int32(ACCOUNTS).int8('K')
                .tuple("7", null, null, null, null).build());
        assertThat(byKey.oldImage()).isEqualTo(OldImage.KEY);
        assertThat(byKey.oldTuple().datum(0)).isEqualTo(new Datum(7L));
        Delete full = (Delete) decoder.decode(message('D').int32(ACCOUNTS).int8('O')
                .tuple("7", "x", "1", "ok", "[]").build());
        assertThat(full.oldImage()).isEqualTo(OldImage.FULL);
        assertThat(full.oldTuple().text(4)).isEqualTo("[]");
    }

    @Test
    void truncate() {
        Relation accounts = accounts();
        Relation other = relation(16400, "audit", 'd');
        Truncate truncate = (Truncate) decoder.decode(message('T').int32(2).int8(3)
                .int32(ACCOUNTS).int32(16400).build());
        assertThat(truncate).isEqualTo(new Truncate(List.of(accounts, other), true, true));
        Truncate plain = (Truncate) decoder.decode(message('T').int32(1).int8(0).int32(16400).build());
        assertThat(plain.cascade()).isFalse();
        assertThat(plain.restartIdentity()).isFalse();
    }

    @Test
    void logicalMessage() {
        byte[] content = "x\0y".getBytes(StandardCharsets.UTF_8);
        LogicalMessage msg = (LogicalMessage) decoder.decode(message('M').int8(1).int64(0x99).string("concord")
                .int32(content.length).bytes(content).build());
        assertThat(msg).isEqualTo(new LogicalMessage(true, Lsn.of(0x99), "concord", ByteBuffer.wrap(content)));
        LogicalMessage nonTransactional = (LogicalMessage) decoder.decode(message('M').int8(0).int64(0x99)
                .string("p").int32(0).build());
        assertThat(nonTransactional.transactional()).isFalse();
        assertThat(nonTransactional.content().remaining()).isZero();
    }

    @Test
    void binaryValuesAreKeptButNotConverted() {
        accounts();
        Insert insert = (Insert) decoder.decode(message('I').int32(ACCOUNTS).int8('N')
                .tuple(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, "a", "1", "ok", null).build());
        assertThat(insert.newTuple().kind(0)).isEqualTo(TupleData.Kind.BINARY);
        assertThat(insert.newTuple().bytes(0).remaining()).isEqualTo(8);
        assertThatThrownBy(() -> insert.newTuple().datum(0)).hasMessageContaining("binary");
    }

    @Test
    void leavesTheCallersBufferAlone() {
        ByteBuffer buffer = message('O').int64(1).string("x").build();
        decoder.decode(buffer);
        assertThat(buffer.position()).isZero();
        assertThat(decoder.decode(buffer.asReadOnlyBuffer())).isEqualTo(new Origin(Lsn.of(1), "x"));
    }

    @Test
    void refusesWhatTheProtocolDoesNotAllow() {
        assertThatThrownBy(() -> decoder.decode(message('I').int32(999).int8('N').tuple("1").build()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("relation OID 999");
        accounts();
        assertThatThrownBy(() -> decoder.decode(message('I').int32(ACCOUNTS).int8('N').tuple("1").build()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("has 1 columns");
        assertThatThrownBy(() -> decoder.decode(message('C').int8(0).int64(1).build()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> decoder.decode(message('S').int32(1).int8(1).build()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("streaming");
        assertThatThrownBy(() -> decoder.decode(message('Z').build()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("unknown");
        assertThatThrownBy(() -> decoder.decode(message('D').int32(ACCOUNTS).int8('N').tuple().build()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("expected 'K' or 'O'");
    }

    @Test
    void aNewRelationMessageReplacesTheOldDescription() {
        accounts();
        Relation altered = (Relation) decoder.decode(message('R').int32(ACCOUNTS).string("public")
                .string("accounts").int8('d').int16(1)
                .int8(1).string("id").int32(20).int32(-1).build());
        assertThat(decoder.relation(ACCOUNTS)).isSameAs(altered);
        Insert insert = (Insert) decoder.decode(message('I').int32(ACCOUNTS).int8('N').tuple("5").build());
        assertThat(insert.relation().replicaIdentity()).isEqualTo(ReplicaIdentity.DEFAULT);
    }

    @Test
    void relationCacheGrowsPastItsFirstTable() {
        for (int oid = 20000; oid < 20300; oid++) {
            relation(oid, "t" + oid, 'd');
        }
        for (int oid = 20000; oid < 20300; oid++) {
            assertThat(decoder.relation(oid).name()).isEqualTo("t" + oid);
        }
        assertThat(decoder.relation(19999)).isNull();
    }

    private Relation accounts() {
        return (Relation) decoder.decode(message('R').int32(ACCOUNTS).string("public").string("accounts")
                .int8('f').int16(5)
                .int8(1).string("id").int32(BuiltinTypes.INT8.oid()).int32(-1)
                .int8(0).string("name").int32(BuiltinTypes.VARCHAR.oid()).int32(14)
                .int8(0).string("balance").int32(BuiltinTypes.NUMERIC.oid()).int32(-1)
                .int8(0).string("mood").int32(MOOD_OID).int32(-1)
                .int8(0).string("doc").int32(BuiltinTypes.JSONB.oid()).int32(-1)
                .build());
    }

    private Relation relation(int oid, String name, char identity) {
        return (Relation) decoder.decode(message('R').int32(oid).string("public").string(name)
                .int8(identity).int16(1).int8(1).string("id").int32(23).int32(-1).build());
    }
}
