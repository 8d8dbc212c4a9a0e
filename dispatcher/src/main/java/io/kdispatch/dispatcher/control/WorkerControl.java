package io.kdispatch.dispatcher.control;

import java.util.Locale;

/**
 * What an operator asked of a worker through {@code worker.<id>.state}.
 *
 * <p>Both {@link #CORDONED} and {@link #DRAINING} take the worker out of routing for new tasks while it
 * finishes what it holds; draining additionally announces that it is about to go away (a rolling update),
 * so whatever the dispatcher may move elsewhere should move.
 */
public enum WorkerControl {
    /** The default: the worker gets tasks as usual. */
    ACTIVE("active"),
    /** No new tasks; what it holds it keeps. */
    CORDONED("cordoned"),
    /** No new tasks, and it is about to leave. */
    DRAINING("draining");

    private final String label;

    WorkerControl(String label) {
        this.label = label;
    }

    /** The value on the control topic, e.g. {@code draining}. */
    public String label() {
        return label;
    }

    /** True unless {@link #ACTIVE}: the worker must get no new tasks. */
    public boolean excludesNewTasks() {
        return this != ACTIVE;
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static WorkerControl parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (WorkerControl c : values()) {
            if (c.label.equals(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException("expected cordoned, draining or active");
    }
}
