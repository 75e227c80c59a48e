package io.concord.event.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One {@code String} per distinct name read: tables, columns, column types, DC ids. Apply looks each name of each
 * event up in several maps (the table's columns, the row's types, its image); a name made fresh for every event is
 * hashed character by character on every lookup and compared character by character on every hit. A pooled instance
 * keeps its hash and meets the maps' keys by identity — and a name already pooled costs no allocation to read.
 *
 * <p>An open-addressing table keyed by the name's UTF-8 bytes, bounded at {@value #CAPACITY} slots and emptied
 * when half full: a pathological schema costs speed, never memory. Not thread-safe: one per reader.
 */
final class NamePool {

    static final int CAPACITY = 4096;
    private static final int MASK = CAPACITY - 1;

    private final byte[][] keys = new byte[CAPACITY][];
    private final String[] names = new String[CAPACITY];
    private int size;

    /** The name whose UTF-8 bytes are {@code bytes[offset, offset + length)}. */
    String name(byte[] bytes, int offset, int length) {
        int hash = length;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + bytes[i];
        }
        int slot = (hash ^ (hash >>> 16)) & MASK;
        while (keys[slot] != null) {
            byte[] key = keys[slot];
            if (key.length == length && Arrays.equals(key, 0, length, bytes, offset, offset + length)) {
                return names[slot];
            }
            slot = (slot + 1) & MASK;
        }
        if (size >= CAPACITY / 2) {
            Arrays.fill(keys, null);
            Arrays.fill(names, null);
            size = 0;
            return name(bytes, offset, length);
        }
        String name = new String(bytes, offset, length, StandardCharsets.UTF_8);
        keys[slot] = Arrays.copyOfRange(bytes, offset, offset + length);
        names[slot] = name;
        size++;
        return name;
    }
}
