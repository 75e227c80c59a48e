package io.concord.replicator.config;

import java.util.Locale;

/** Decides which config values are secrets, so that logs and status output mask them. */
final class Secrets {

    private Secrets() {
    }

    /** Kafka's own secret-bearing keys all contain one of these words. */
    static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret") || lower.contains("jaas")
                || lower.contains("token") || lower.endsWith(".key");
    }
}
