package io.concord.replicator.store;

import io.concord.version.RowVersion;
import java.util.TreeMap;

/**
 * Row versions between the resolvers' {@link RowVersion} and the Avro {@link io.concord.event.RowVersion}
 * that events and stored states carry: version vector as a map DC id → counter, hlc, and writing DC.
 */
public final class RowVersionCodec {

    private RowVersionCodec() {
    }

    /** The Avro form; the vector map is in DC-id order, so equal versions encode to equal bytes. */
    public static io.concord.event.RowVersion toAvro(RowVersion version) {
        return new io.concord.event.RowVersion(new TreeMap<>(version.vector().toMap()), version.hlc(),
                version.dc().value());
    }

    /**
     * The version an Avro record holds.
     *
     * @throws IllegalArgumentException if it is not a valid version (a bad DC id, a counter that is not
     *     positive, a writer its vector does not count)
     */
    public static RowVersion fromAvro(io.concord.event.RowVersion version) {
        return RowVersion.of(version.getVector(), version.getHlc(), version.getDc());
    }
}
