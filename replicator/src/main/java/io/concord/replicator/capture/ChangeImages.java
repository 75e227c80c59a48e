package io.concord.replicator.capture;

import io.concord.event.Column;
import io.concord.event.Operation;
import java.util.List;

/**
 * The typed content of one row change, decoded once and used both to version the row and to
 * build its event.
 *
 * @param operation what happened to the row
 * @param key the key columns of the row the change leaves
 * @param after the row after the change without unchanged-TOAST columns; null for DELETE
 * @param before the old row as sent (whole with REPLICA IDENTITY FULL, key only otherwise); null when none was sent
 * @param unchangedToast columns whose TOASTed value did not change and was not sent
 * @param changed columns whose value changed, when the whole old row is known; else null
 */
public record ChangeImages(Operation operation, List<Column> key, List<Column> after, List<Column> before,
        List<String> unchangedToast, List<String> changed) {
}
