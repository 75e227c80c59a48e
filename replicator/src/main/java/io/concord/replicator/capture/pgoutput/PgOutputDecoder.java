package io.concord.replicator.capture.pgoutput;

import io.concord.replicator.capture.Lsn;
import io.concord.replicator.types.TypeResolver;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes pgoutput messages, one method per message byte, keeping the relation cache of the replication session.
 * One decoder per stream, used from one thread: RELATION messages are sent once per session, so a new stream
 * needs a new decoder.
 *
 * <p>Hot path (row changes): the tag is dispatched by a switch, the relation found in a primitive-keyed cache,
 * and tuple values are not converted: {@link TupleData} records where each one lies in the message.
 *
 * <p>Protocol versions 1 to 4 decode alike as long as streaming of in-progress transactions and two-phase
 * commit are not enabled (the slot options {@code streaming} and {@code two_phase}); their messages are refused.
 */
public final class PgOutputDecoder {

    /** Microseconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01 00:00:00 UTC. */
    static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private final TypeResolver types;
    private final RelationCache relations = new RelationCache();

    public PgOutputDecoder(TypeResolver types) {
        this.types = types;
    }

    /**
     * Decodes one message (the payload of an XLogData message, as pgjdbc's {@code PGReplicationStream} returns it).
     * The buffer's position is left unchanged.
     */
    public PgOutputMessage decode(ByteBuffer message) {
        ByteBuffer b = message.hasArray() ? message.duplicate() : copyToHeap(message);
        byte tag = b.get();
        try {
            switch (tag) {
                case 'B':
                    return decodeBegin(b);
                case 'C':
                    return decodeCommit(b);
                case 'O':
                    return decodeOrigin(b);
                case 'R':
                    return decodeRelation(b);
                case 'Y':
                    return decodeType(b);
                case 'I':
                    return decodeInsert(b);
                case 'U':
                    return decodeUpdate(b);
                case 'D':
                    return decodeDelete(b);
                case 'T':
                    return decodeTruncate(b);
                case 'M':
                    return decodeMessage(b);
                case 'S': case 'E': case 'c': case 'A':
                    throw new PgOutputException("streamed transaction message '" + (char) tag
                            + "': the stream must not set the slot option streaming");
                case 'b': case 'P': case 'K': case 'r': case 'p':
                    throw new PgOutputException("two-phase commit message '" + (char) tag
                            + "': the stream must not set the slot option two_phase");
                default:
                    throw new PgOutputException("unknown pgoutput message type " + tag
                            + (tag > 32 && tag < 127 ? " ('" + (char) tag + "')" : ""));
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PgOutputException("truncated pgoutput message '" + (char) tag + "' of "
                    + message.remaining() + " bytes");
        }
    }

    /** The latest description of a relation seen in this session, or null. */
    public Relation relation(int oid) {
        return relations.get(oid);
    }

    /** BEGIN, byte 'B': Int64 final LSN, Int64 commit time (µs since 2000-01-01), Int32 xid. */
    private Begin decodeBegin(ByteBuffer b) {
        Lsn finalLsn = Lsn.of(b.getLong());
        long commitTime = b.getLong() + PG_EPOCH_MICROS;
        long xid = Integer.toUnsignedLong(b.getInt());
        return new Begin(finalLsn, commitTime, xid);
    }

    /** COMMIT, byte 'C': Int8 flags, Int64 commit LSN, Int64 end LSN, Int64 commit time. */
    private Commit decodeCommit(ByteBuffer b) {
        int flags = b.get();
        Lsn commitLsn = Lsn.of(b.getLong());
        Lsn endLsn = Lsn.of(b.getLong());
        long commitTime = b.getLong() + PG_EPOCH_MICROS;
        return new Commit(flags, commitLsn, endLsn, commitTime);
    }

    /** ORIGIN, byte 'O': Int64 commit LSN at the origin, String origin name. */
    private Origin decodeOrigin(ByteBuffer b) {
        Lsn originLsn = Lsn.of(b.getLong());
        return new Origin(originLsn, readString(b));
    }

    /**
     * RELATION, byte 'R': Int32 OID, String namespace, String name, Int8 replica identity, Int16 column count, and
     * per column Int8 flags (1 = key), String name, Int32 type OID, Int32 type modifier. Column types are resolved
     * here, once per description, rather than for every row.
     */
    private Relation decodeRelation(ByteBuffer b) {
        int oid = b.getInt();
        String namespace = readString(b);
        String name = readString(b);
        ReplicaIdentity identity = ReplicaIdentity.of(b.get());
        int count = Short.toUnsignedInt(b.getShort());
        List<RelationColumn> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (b.get() & 1) != 0;
            String column = readString(b);
            int typeOid = b.getInt();
            int typeModifier = b.getInt();
            columns.add(new RelationColumn(column, typeOid, typeModifier, key, types.resolve(typeOid)));
        }
        Relation relation = new Relation(oid, namespace, name, identity, columns);
        relations.put(relation);
        return relation;
    }

    /** TYPE, byte 'Y': Int32 OID, String namespace, String name. */
    private TypeMessage decodeType(ByteBuffer b) {
        int oid = b.getInt();
        String namespace = readString(b);
        return new TypeMessage(oid, namespace, readString(b));
    }

    /** INSERT, byte 'I': Int32 relation OID, Byte1 'N', TupleData. */
    private Insert decodeInsert(ByteBuffer b) {
        Relation relation = knownRelation(b.getInt(), 'I');
        expectTag(b, 'N', 'I');
        return new Insert(relation, readTuple(b, relation));
    }

    /**
     * UPDATE, byte 'U': Int32 relation OID, optionally Byte1 'K' (key) or 'O' (old row) and TupleData, then
     * Byte1 'N' and the new TupleData.
     */
    private Update decodeUpdate(ByteBuffer b) {
        Relation relation = knownRelation(b.getInt(), 'U');
        byte tag = b.get();
        OldImage oldImage = OldImage.NONE;
        TupleData oldTuple = null;
        if (tag == 'K' || tag == 'O') {
            oldImage = tag == 'K' ? OldImage.KEY : OldImage.FULL;
            oldTuple = readTuple(b, relation);
            tag = b.get();
        }
        if (tag != 'N') {
            throw new PgOutputException("UPDATE of " + relation.qualifiedName() + ": expected 'N', got " + tag);
        }
        return new Update(relation, oldImage, oldTuple, readTuple(b, relation));
    }

    /** DELETE, byte 'D': Int32 relation OID, Byte1 'K' (key) or 'O' (old row), TupleData. */
    private Delete decodeDelete(ByteBuffer b) {
        Relation relation = knownRelation(b.getInt(), 'D');
        byte tag = b.get();
        if (tag != 'K' && tag != 'O') {
            throw new PgOutputException("DELETE of " + relation.qualifiedName() + ": expected 'K' or 'O', got " + tag);
        }
        return new Delete(relation, tag == 'K' ? OldImage.KEY : OldImage.FULL, readTuple(b, relation));
    }

    /** TRUNCATE, byte 'T': Int32 relation count, Int8 options (1 CASCADE, 2 RESTART IDENTITY), Int32 OIDs. */
    private Truncate decodeTruncate(ByteBuffer b) {
        int count = b.getInt();
        int options = b.get();
        List<Relation> truncated = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            truncated.add(knownRelation(b.getInt(), 'T'));
        }
        return new Truncate(truncated, (options & 1) != 0, (options & 2) != 0);
    }

    /** MESSAGE, byte 'M': Int8 flags (1 = transactional), Int64 LSN, String prefix, Int32 length, Byte[n]. */
    private LogicalMessage decodeMessage(ByteBuffer b) {
        boolean transactional = (b.get() & 1) != 0;
        Lsn lsn = Lsn.of(b.getLong());
        String prefix = readString(b);
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new PgOutputException("MESSAGE with prefix " + prefix + " claims " + length + " bytes, has "
                    + b.remaining());
        }
        ByteBuffer content = b.slice().limit(length).asReadOnlyBuffer();
        b.position(b.position() + length);
        return new LogicalMessage(transactional, lsn, prefix, content);
    }

    /** TupleData: Int16 column count, then per column 'n', 'u', or 't'/'b' with Int32 length and the bytes. */
    private TupleData readTuple(ByteBuffer b, Relation relation) {
        int count = Short.toUnsignedInt(b.getShort());
        if (count != relation.columns().size()) {
            throw new PgOutputException("tuple of " + relation.qualifiedName() + " has " + count
                    + " columns, its RELATION message " + relation.columns().size());
        }
        byte[] kinds = new byte[count];
        int[] offsets = new int[count];
        int[] lengths = new int[count];
        int base = b.arrayOffset();
        for (int i = 0; i < count; i++) {
            byte kind = b.get();
            kinds[i] = kind;
            if (kind == 't' || kind == 'b') {
                int length = b.getInt();
                int position = b.position();
                if (length < 0 || length > b.limit() - position) {
                    throw new PgOutputException("column " + relation.column(i).name() + " of "
                            + relation.qualifiedName() + " claims " + length + " bytes, message has "
                            + (b.limit() - position));
                }
                offsets[i] = base + position;
                lengths[i] = length;
                b.position(position + length);
            } else if (kind != 'n' && kind != 'u') {
                throw new PgOutputException("column " + relation.column(i).name() + " of "
                        + relation.qualifiedName() + ": unknown tuple value kind " + kind);
            }
        }
        return new TupleData(relation, b.array(), kinds, offsets, lengths);
    }

    private Relation knownRelation(int oid, char messageType) {
        Relation relation = relations.get(oid);
        if (relation == null) {
            throw new PgOutputException("message '" + messageType + "' for relation OID "
                    + Integer.toUnsignedString(oid) + " that no RELATION message described in this session");
        }
        return relation;
    }

    private static void expectTag(ByteBuffer b, char expected, char messageType) {
        byte tag = b.get();
        if (tag != expected) {
            throw new PgOutputException("message '" + messageType + "': expected '" + expected + "', got " + tag);
        }
    }

    /** A NUL-terminated UTF-8 string. */
    private static String readString(ByteBuffer b) {
        byte[] array = b.array();
        int start = b.arrayOffset() + b.position();
        int end = start;
        int limit = b.arrayOffset() + b.limit();
        while (end < limit && array[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw new PgOutputException("unterminated string in pgoutput message");
        }
        b.position(b.position() + end - start + 1);
        return new String(array, start, end - start, StandardCharsets.UTF_8);
    }

    private static ByteBuffer copyToHeap(ByteBuffer message) {
        ByteBuffer copy = ByteBuffer.allocate(message.remaining());
        copy.put(message.duplicate()).flip();
        return copy;
    }
}
