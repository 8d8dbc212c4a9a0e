package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * How this worker judges the lease of one assignment it received: whether it may still start it,
 * and when to renew it while it runs. Plain data; the caller passes the time in.
 *
 * <p>{@link Relative}, when the assignment carries {@code leaseMs}: the lease is a duration on this
 * worker's monotonic clock, counted from receipt (when the poll returned the record), so no clock
 * skew between the dispatcher's machine and this one changes the verdict. The dispatcher started
 * counting a little earlier, when it sent the record; the worker cannot measure that transit
 * without comparing clocks, so it renews every third of the lease (not every half), which leaves
 * two thirds of a lease for the transit and for the extension's own trip back.
 *
 * <p>{@link Absolute}, when {@code leaseMs} is 0 (or negative): a dispatcher older than that field.
 * The lease ends at {@code leaseDeadline}, an instant on the dispatcher's clock compared with this
 * worker's wall clock, and is renewed every half of {@code leaseDeadline - assignedAt} from
 * {@code assignedAt}, exactly as workers did before {@code leaseMs} existed; clock skew distorts
 * both, which is why the dispatcher now sends {@code leaseMs}.
 */
sealed interface LeaseTerms permits LeaseTerms.Relative, LeaseTerms.Absolute {
    /** Floor between automatic renewals, so a tiny lease does not flood the results topic. */
    Duration MIN_INTERVAL = Duration.ofMillis(100);

    /** The terms of an assignment received at {@code receivedAt}. */
    static LeaseTerms of(TaskAssignment assignment, Moment receivedAt) {
        if (assignment.getLeaseMs() > 0) {
            return new Relative(receivedAt, assignment.getLeaseMs());
        }
        return new Absolute(assignment.getAssignedAt(), assignment.getLeaseDeadline());
    }

    /** True when the lease has run out by {@code now}: the dispatcher has given the task to another worker. */
    boolean expired(Moment now);

    /** Why {@link #expired} holds at {@code now}, for the log. */
    String expiry(Moment now);

    /** Time between automatic renewals, or {@code null} when the dispatcher granted no lease to renew. */
    Duration renewInterval();

    /** Milliseconds from {@code start} (the handler starting) to the first automatic renewal; 0 when already due. */
    long firstRenewalDelayMs(Moment start);

    /**
     * A lease of {@code leaseMs} counted on this worker's monotonic clock from {@code receivedAt}.
     */
    record Relative(Moment receivedAt, long leaseMs) implements LeaseTerms {
        @Override
        public boolean expired(Moment now) {
            // saturating conversion: a lease of centuries must not overflow into the past
            return now.nanosSince(receivedAt) > TimeUnit.MILLISECONDS.toNanos(leaseMs);
        }

        @Override
        public String expiry(Moment now) {
            return "its lease of " + Duration.ofMillis(leaseMs) + " ran out: it waited "
                    + Duration.ofNanos(now.nanosSince(receivedAt)) + " since this worker received it";
        }

        @Override
        public Duration renewInterval() {
            Duration third = Duration.ofMillis(leaseMs / 3);
            return third.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : third;
        }

        @Override
        public long firstRenewalDelayMs(Moment start) {
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(start.nanosSince(receivedAt));
            return Math.max(0, renewInterval().toMillis() - waitedMs);
        }
    }

    /**
     * An older dispatcher's lease: ends at {@code deadline} (its clock), granted at {@code assignedAt}.
     */
    record Absolute(Instant assignedAt, Instant deadline) implements LeaseTerms {
        @Override
        public boolean expired(Moment now) {
            return deadline != null && deadline.isBefore(now.wall());
        }

        @Override
        public String expiry(Moment now) {
            return "its lease expired at " + deadline + " (now " + now.wall() + ")";
        }

        @Override
        public Duration renewInterval() {
            if (assignedAt == null || deadline == null || !deadline.isAfter(assignedAt)) {
                return null;
            }
            Duration half = Duration.between(assignedAt, deadline).dividedBy(2);
            return half.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : half;
        }

        @Override
        public long firstRenewalDelayMs(Moment start) {
            Duration interval = renewInterval();
            if (interval == null) {
                return 0;
            }
            return Math.max(0, Duration.between(start.wall(), assignedAt.plus(interval)).toMillis());
        }
    }
}
