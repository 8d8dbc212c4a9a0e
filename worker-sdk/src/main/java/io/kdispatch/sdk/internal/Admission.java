package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;

/**
 * Decides what a worker does with an assignment it read: take it, skip it (the dispatcher has
 * already given it to someone else), or reject it (the worker is saturated). Plain data in, a
 * decision out; no Kafka, no clock of its own.
 *
 * <p>Skips are decided on what the assignment says: a lease that ran out (judged by its
 * {@link LeaseTerms}, on this worker's own clock from receipt) means the dispatcher has
 * re-dispatched it; a non-zero {@code workerIncarnation} other than this worker's means it was
 * sent to a previous run of this worker, whose work the dispatcher re-dispatches on restart. Zero
 * means the dispatcher did not say, and the assignment is taken.
 */
final class Admission {
    /** What to do with one assignment. */
    sealed interface Decision permits Take, Skip, Reject {
    }

    /** Keep it until a slot is free, then run it. */
    record Take() implements Decision {
    }

    /** Do not run it and publish nothing: someone else has it. */
    record Skip(SkipReason reason, String detail) implements Decision {
    }

    /** Answer REJECTED without running it, so the dispatcher routes it elsewhere. */
    record Reject(String reason) implements Decision {
    }

    private static final Take TAKE = new Take();

    private final String workerId;
    private final long incarnation;
    private final int limit;

    /**
     * @param incarnation this worker's incarnation
     * @param capacity tasks run at once
     * @param maxQueued assignments held beyond the capacity before new ones are rejected
     */
    Admission(String workerId, long incarnation, int capacity, int maxQueued) {
        this.workerId = workerId;
        this.incarnation = incarnation;
        this.limit = capacity + maxQueued;
    }

    /**
     * An assignment just read.
     *
     * @param held assignments the worker holds now: running, publishing, or waiting for a slot
     * @param queued of those, the ones waiting for a slot
     */
    Decision onArrival(TaskAssignment assignment, LeaseTerms lease, Moment now, int held, int queued) {
        Decision stale = onStart(assignment, lease, now);
        if (stale != TAKE) {
            return stale;
        }
        if (held >= limit) {
            return new Reject("worker " + workerId + " saturated: " + queued + " queued");
        }
        return TAKE;
    }

    /** An assignment about to start (or to be rejected on drain): take it unless it is stale. */
    Decision onStart(TaskAssignment assignment, LeaseTerms lease, Moment now) {
        long sentTo = assignment.getWorkerIncarnation();
        if (sentTo != 0 && sentTo != incarnation) {
            return new Skip(SkipReason.OTHER_INCARNATION, "it was sent to incarnation " + sentTo
                    + ", not this one (" + incarnation + ")");
        }
        if (lease.expired(now)) {
            return new Skip(SkipReason.LEASE_EXPIRED, lease.expiry(now));
        }
        return TAKE;
    }
}
