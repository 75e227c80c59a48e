package io.concord.resolver.conformance;

import io.concord.resolver.RowImage;
import java.util.Random;

/**
 * The rows the conformance kit writes: how to make a new row and how to change one. Override
 * {@link ResolverConformance#table()} with your own when a resolver reads columns of its own.
 */
public interface TestTable {

    /** A new row for an insert. */
    RowImage insert(Random random);

    /** {@code before} with some columns changed, for an update. */
    RowImage update(RowImage before, Random random);

    /** The counter column whose deltas the kit adds up, or {@code null} if there is none. */
    default String counterColumn() {
        return null;
    }
}
