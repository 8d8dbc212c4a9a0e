package io.kdispatch.dispatcher.topology;

/** Names of the dispatcher's state stores (also part of their changelog topic names). */
public final class StoreNames {
    /** Global store: worker ID to its latest {@code WorkerSighting}. */
    public static final String WORKER_VIEW = "worker-view";
    /** Task ID to its live {@code TaskAssignment}, until a result closes it. */
    public static final String ASSIGNMENTS = "assignments";
    /** Priority-ordered key to a task attempt that waits for an eligible worker. */
    public static final String PENDING = "pending";
    /** {@code group NUL taskId} to the worker running that live member of the anti-affinity group. */
    public static final String GROUPS = "groups";
    /** Worker ID to this stream task's circuit breaker for it. */
    public static final String BREAKERS = "breakers";
    /** Task ID to the explanation of its latest routing decision (from the decisions topic). */
    public static final String EXPLANATIONS = "explanations";
    /** Global store: control setting key to its canonical value (see {@code ControlKeys}). */
    public static final String CONTROL = "control";

    private StoreNames() {
    }
}
