package io.concord.replicator.capture.pgoutput;

import java.util.Arrays;

/**
 * The latest {@link Relation} of each relation OID seen in this replication session, keyed by a primitive int
 * (open addressing): looked up for every row change, so no boxing on that path.
 */
final class RelationCache {

    private int[] keys = new int[64];
    private Relation[] values = new Relation[64];
    private int size;

    Relation get(int oid) {
        int mask = keys.length - 1;
        for (int i = hash(oid) & mask; ; i = (i + 1) & mask) {
            Relation value = values[i];
            if (value == null || keys[i] == oid) {
                return value;
            }
        }
    }

    void put(Relation relation) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int oid = relation.oid();
        for (int i = hash(oid) & mask; ; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = oid;
                values[i] = relation;
                size++;
                return;
            }
            if (keys[i] == oid) {
                values[i] = relation;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        Relation[] old = values;
        keys = new int[keys.length * 2];
        values = new Relation[values.length * 2];
        size = 0;
        Arrays.stream(old).filter(r -> r != null).forEach(this::put);
    }

    private static int hash(int oid) {
        // Fibonacci hashing, folded so that the low bits the mask keeps depend on all bits of the OID.
        int h = oid * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
