package io.kdispatch.dispatcher.attempt;

/** Why the lifecycle gave up on a task. */
public enum DeadLetterCause {
    /** Its deadline passed before it could run (again). */
    DEADLINE_EXPIRED,
    /** It failed {@code maxAttempts} times. */
    MAX_ATTEMPTS,
    /** It was lost with dead workers or expired leases too often: it may be what kills workers. */
    POISON
}
