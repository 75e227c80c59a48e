package io.concord.resolver;

import java.util.Arrays;
import java.util.Optional;

/**
 * How an update/delete conflict is settled, set by the {@code update-delete} option that every
 * resolver accepts. Each choice is deterministic, so all DCs settle a conflict the same way.
 */
public enum UpdateDeletePolicy {
    /** The later of the two writes by {@code (hlc, dc)} wins (the default). */
    LWW("lww"),
    /** The delete wins. */
    DELETE_WINS("delete-wins"),
    /** The live row wins; a delete never removes a concurrently updated row. */
    UPDATE_WINS("update-wins");

    private final String optionValue;

    UpdateDeletePolicy(String optionValue) {
        this.optionValue = optionValue;
    }

    /** The value of the {@code update-delete} option that selects this policy. */
    public String optionValue() {
        return optionValue;
    }

    /** The policy selected by an option value, if any. */
    public static Optional<UpdateDeletePolicy> fromOption(String value) {
        return Arrays.stream(values()).filter(p -> p.optionValue.equals(value)).findFirst();
    }

    /** Settles an update/delete conflict by keeping one side as it is. */
    public Resolution resolve(ConflictContext context) {
        if (!context.type().involvesDelete()) {
            throw new IllegalArgumentException("not an update/delete conflict: " + context.type().label());
        }
        boolean remoteWins = switch (this) {
            case LWW -> context.remoteIsNewer();
            case DELETE_WINS -> context.remote().isTombstone();
            case UPDATE_WINS -> !context.remote().isTombstone();
        };
        return remoteWins ? Resolution.applyRemote(context) : Resolution.keepLocal(context);
    }
}
