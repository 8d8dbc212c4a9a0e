package io.kdispatch.dispatcher.routing;

/** Why a task waits, as a class: what metrics count waiting tasks by (the reason text names workers and keys). */
public enum ParkKind {
    /** No eligible worker has room (or none is known). */
    NO_WORKER("no-worker"),
    /** Its task type is paused by an operator. */
    PAUSED("paused"),
    /** Earlier tasks of its affinity key wait ahead of it. */
    KEY_ORDER("key-order"),
    /** Its task type, tenant or key is at its in-flight limit. */
    QUOTA("quota"),
    /** Its task type, tenant or key is out of rate tokens. */
    RATE("rate"),
    /** A retry waits out its backoff. */
    BACKOFF("backoff");

    private final String label;

    ParkKind(String label) {
        this.label = label;
    }

    /** The metrics tag value, e.g. {@code no-worker}. */
    public String label() {
        return label;
    }
}
