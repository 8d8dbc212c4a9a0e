package io.kdispatch.dispatcher.topology;

/** Names of the dispatcher's state stores (also part of their changelog topic names). */
public final class StoreNames {
    /** Global store: worker ID to its latest {@code WorkerSighting}. */
    public static final String WORKER_VIEW = "worker-view";
    /**
     * Task ID to its live attempt ({@code StoredAttempt}: waiting, backing off or assigned), until a result
     * or a dead letter ends it. The source of truth the processor's in-memory indexes are rebuilt from.
     */
    public static final String ATTEMPTS = "attempts";
    /** Affinity key to the worker it is bound to ({@code AffinityBinding}). */
    public static final String BINDINGS = "bindings";
    /** Worker ID to this stream task's circuit breaker for it. */
    public static final String BREAKERS = "breakers";
    /** Task ID to the explanation of its latest routing decision (from the decisions topic). */
    public static final String EXPLANATIONS = "explanations";
    /** Global store: control setting key to its canonical value (see {@code ControlKeys}). */
    public static final String CONTROL = "control";

    private StoreNames() {
    }
}
