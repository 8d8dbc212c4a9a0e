package io.kdispatch.dispatcher.attempt;

/** Why an assigned attempt was lost without a result; a loss counts towards the poison cap, not maxAttempts. */
public enum LossCause {
    /** The worker was declared dead or left. */
    WORKER_LOST("worker-lost"),
    /** The worker restarted: its new incarnation will not run what was sent to the old one. */
    NEW_INCARNATION("new-incarnation"),
    /** Neither a result nor an extension arrived within the lease. */
    LEASE_EXPIRED("lease-expired");

    private final String label;

    LossCause(String label) {
        this.label = label;
    }

    /** The label in histories, logs and metrics tags. */
    public String label() {
        return label;
    }
}
