package io.concord.replicator.capture;

import io.concord.replicator.store.RowKey;
import io.concord.replicator.store.StoredRowState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The row states capture used last, so that hot rows are not read back from PostgreSQL for every
 * batch. It may evict any row at any time: a batch copies the states it needs out of it first. Capture
 * writes the states of local writes, apply those of the rows it settles: capture forgets everything once
 * an apply transaction has committed since it last looked ({@code CaptureLoop}), and a row when it meets an
 * applied change of it in the WAL, so what is cached here is never stale at the position capture has reached. A row known not to exist is cached too (as null), which saves a lookup for every fresh
 * insert key that is changed again soon.
 */
final class RowStateCache {

    private final Map<RowKey, StoredRowState> entries;

    RowStateCache(int capacity) {
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RowKey, StoredRowState> eldest) {
                return size() > capacity;
            }
        };
    }

    boolean contains(RowKey key) {
        return entries.containsKey(key);
    }

    StoredRowState get(RowKey key) {
        return entries.get(key);
    }

    void put(RowKey key, StoredRowState state) {
        entries.put(key, state);
    }

    void forget(RowKey key) {
        entries.remove(key);
    }

    void clear() {
        entries.clear();
    }
}
