package io.concord.replicator.types;

/**
 * The built-in types that have a Datum branch of their own, and their arrays, known by OID without asking the
 * server (these OIDs are fixed in {@code pg_type.dat} and have never changed).
 */
public final class BuiltinTypes {

    public static final PgType BOOL = PgType.scalar(16, "bool", ValueKind.BOOL);
    public static final PgType BYTEA = PgType.scalar(17, "bytea", ValueKind.BYTEA);
    public static final PgType CHAR = PgType.scalar(18, "char", ValueKind.TEXT);
    public static final PgType NAME = PgType.scalar(19, "name", ValueKind.TEXT);
    public static final PgType INT8 = PgType.scalar(20, "int8", ValueKind.INT8);
    public static final PgType INT2 = PgType.scalar(21, "int2", ValueKind.INT2);
    public static final PgType INT4 = PgType.scalar(23, "int4", ValueKind.INT4);
    public static final PgType TEXT = PgType.scalar(25, "text", ValueKind.TEXT);
    public static final PgType JSON = PgType.scalar(114, "json", ValueKind.JSON);
    public static final PgType FLOAT4 = PgType.scalar(700, "float4", ValueKind.FLOAT4);
    public static final PgType FLOAT8 = PgType.scalar(701, "float8", ValueKind.FLOAT8);
    public static final PgType BPCHAR = PgType.scalar(1042, "bpchar", ValueKind.TEXT);
    public static final PgType VARCHAR = PgType.scalar(1043, "varchar", ValueKind.TEXT);
    public static final PgType DATE = PgType.scalar(1082, "date", ValueKind.DATE);
    public static final PgType TIME = PgType.scalar(1083, "time", ValueKind.TIME);
    public static final PgType TIMESTAMP = PgType.scalar(1114, "timestamp", ValueKind.TIMESTAMP);
    public static final PgType TIMESTAMPTZ = PgType.scalar(1184, "timestamptz", ValueKind.TIMESTAMPTZ);
    public static final PgType INTERVAL = PgType.scalar(1186, "interval", ValueKind.INTERVAL);
    public static final PgType TIMETZ = PgType.scalar(1266, "timetz", ValueKind.TIMETZ);
    public static final PgType NUMERIC = PgType.scalar(1700, "numeric", ValueKind.NUMERIC);
    public static final PgType UUID = PgType.scalar(2950, "uuid", ValueKind.UUID);
    public static final PgType JSONB = PgType.scalar(3802, "jsonb", ValueKind.JSONB);

    // Largest OID above, plus one: the lookup table below is indexed by OID.
    private static final int TABLE_SIZE = 3808;
    private static final PgType[] BY_OID = new PgType[TABLE_SIZE];

    static {
        scalarWithArray(BOOL, 1000);
        scalarWithArray(BYTEA, 1001);
        scalarWithArray(CHAR, 1002);
        scalarWithArray(NAME, 1003);
        scalarWithArray(INT8, 1016);
        scalarWithArray(INT2, 1005);
        scalarWithArray(INT4, 1007);
        scalarWithArray(TEXT, 1009);
        scalarWithArray(JSON, 199);
        scalarWithArray(FLOAT4, 1021);
        scalarWithArray(FLOAT8, 1022);
        scalarWithArray(BPCHAR, 1014);
        scalarWithArray(VARCHAR, 1015);
        scalarWithArray(DATE, 1182);
        scalarWithArray(TIME, 1183);
        scalarWithArray(TIMESTAMP, 1115);
        scalarWithArray(TIMESTAMPTZ, 1185);
        scalarWithArray(INTERVAL, 1187);
        scalarWithArray(TIMETZ, 1270);
        scalarWithArray(NUMERIC, 1231);
        scalarWithArray(UUID, 2951);
        scalarWithArray(JSONB, 3807);
    }

    private BuiltinTypes() {
    }

    /** The built-in mapped type (or array of one) with this OID, or null if the OID is not one of them. */
    public static PgType byOid(int oid) {
        return oid > 0 && oid < TABLE_SIZE ? BY_OID[oid] : null;
    }

    /** The array type of a built-in mapped type, e.g. {@code _int4} for {@link #INT4}. */
    public static PgType arrayOf(PgType element) {
        for (PgType t : BY_OID) {
            if (t != null && t.kind() == ValueKind.ARRAY && t.element().equals(element)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a built-in mapped type: " + element);
    }

    private static void scalarWithArray(PgType scalar, int arrayOid) {
        BY_OID[scalar.oid()] = scalar;
        BY_OID[arrayOid] = PgType.array(arrayOid, "_" + scalar.name(), scalar);
    }
}
