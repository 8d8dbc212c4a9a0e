package io.kdispatch.sdk.internal;

/** Why an assignment was not run: the dispatcher has already given it to someone else, or this run had it. */
public enum SkipReason {
    /** Its lease had passed before it could start: the dispatcher has dispatched it again. */
    LEASE_EXPIRED("lease-expired"),
    /** It was sent to an earlier run of this worker, whose work the dispatcher re-dispatches on restart. */
    OTHER_INCARNATION("other-incarnation"),
    /** This run of the worker already took, rejected or skipped it: it was read again after a rebalance. */
    ALREADY_HANDLED("already-handled");

    private final String tag;

    SkipReason(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code reason} tag of {@code kdispatch.worker.skipped}. */
    public String tag() {
        return tag;
    }
}
