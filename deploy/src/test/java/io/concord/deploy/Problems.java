package io.concord.deploy;

import java.util.ArrayList;
import java.util.List;

/** What the deploy checks found wrong, each line naming the file and the place in it. */
final class Problems {

    private final List<String> found = new ArrayList<>();

    void add(String where, String message) {
        found.add(where + ": " + message);
    }

    List<String> list() {
        return List.copyOf(found);
    }
}
