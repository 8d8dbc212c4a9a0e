package io.kdispatch.dispatcher.quota;

/** What a quota or a rate limit applies to. */
public enum Scope {
    /** All tasks of one task type, fleet-wide. */
    TYPE("type", "task type"),
    /** All tasks of one tenant, fleet-wide. */
    TENANT("tenant", "tenant"),
    /** All tasks of one affinity key (every key has the same limit); a key lives on one partition. */
    KEY("key", "affinity key");

    private final String tag;
    private final String words;

    Scope(String tag, String words) {
        this.tag = tag;
        this.words = words;
    }

    /** The metrics tag value, e.g. {@code tenant}. */
    public String tag() {
        return tag;
    }

    /** How a reason names it, e.g. {@code task type}. */
    public String words() {
        return words;
    }
}
