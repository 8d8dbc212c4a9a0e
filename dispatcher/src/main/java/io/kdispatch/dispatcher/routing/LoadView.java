package io.kdispatch.dispatcher.routing;

/**
 * Fast-changing facts about workers, read by {@link Router#decide} at decision time. The topology keeps
 * them up to date between decisions; the router never caches them.
 *
 * <p>Implementations are called from the deciding thread only: by a {@link LoadBoard} when it is built
 * (once per worker) and on each {@link LoadBoard#refresh} (once for that worker), and for service times by
 * the strategies that compare them. A router given a view that is not its board copies it per decision.
 */
public interface LoadView {
    /** A view in which every worker is idle and its service time unknown. */
    LoadView IDLE = new LoadView() {
        @Override
        public int load(String workerId) {
            return 0;
        }

        @Override
        public double serviceTimeMs(String workerId) {
            return Double.NaN;
        }
    };

    /**
     * Tasks believed outstanding on the worker: reported in-flight plus queued plus sent since its last
     * heartbeat. Negative values count as 0.
     */
    int load(String workerId);

    /**
     * The most tasks the worker may hold: its capacity plus the credit beyond it, at least
     * {@code prefetch} (the {@code routing.prefetch} setting). The default gives exactly the prefetch,
     * the rule for a worker that does not declare what it can queue.
     */
    default int limit(String workerId, int capacity, int prefetch) {
        return capacity + prefetch;
    }

    /**
     * Moving average of the worker's service time in milliseconds, or {@link Double#NaN} when unknown.
     * Negative or infinite values count as unknown.
     */
    double serviceTimeMs(String workerId);
}
