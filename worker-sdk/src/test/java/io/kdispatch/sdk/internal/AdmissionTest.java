package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** Received at NOW on the wall clock, at an arbitrary point of the monotonic clock. */
    private static final Moment RECEIVED = new Moment(NOW, 5_000_000_000L);
    private static final long INCARNATION = 42;
    /** capacity 2 + maxQueued 3: at most 5 held. */
    private final Admission admission = new Admission("w-1", INCARNATION, 2, 3);

    /** An assignment from a dispatcher that sends no leaseMs (judged on leaseDeadline). */
    static TaskAssignment assignment(Instant assignedAt, Instant leaseDeadline, long incarnation) {
        return TaskAssignment.newBuilder()
                .setTask(Task.newBuilder().setId("t-1").setType("test").build())
                .setWorkerId("w-1").setAttempt(1).setRoutingKey("rk")
                .setAssignedAt(assignedAt).setLeaseDeadline(leaseDeadline).setWorkerIncarnation(incarnation)
                .build();
    }

    /** An assignment with a lease of {@code leaseMs}, as today's dispatcher sends it. */
    static TaskAssignment withLeaseMs(long leaseMs, long incarnation) {
        TaskAssignment a = assignment(NOW, NOW.plusMillis(leaseMs), incarnation);
        a.setLeaseMs(leaseMs);
        return a;
    }

    private Admission.Decision arriving(TaskAssignment a, int held, int queued) {
        return admission.onArrival(a, LeaseTerms.of(a, RECEIVED), RECEIVED, held, queued);
    }

    /** The decision just before start, {@code afterMs} after receipt (monotonic), the wall clock at {@code wall}. */
    private Admission.Decision starting(TaskAssignment a, long afterMs, Instant wall) {
        Moment start = new Moment(wall, RECEIVED.nanos() + Duration.ofMillis(afterMs).toNanos());
        return admission.onStart(a, LeaseTerms.of(a, RECEIVED), start);
    }

    @Test
    void freshAssignmentForThisIncarnationIsTaken() {
        assertInstanceOf(Admission.Take.class, arriving(withLeaseMs(30_000, INCARNATION), 0, 0));
    }

    @Test
    void incarnationZeroMeansUnknownAndIsTaken() {
        assertInstanceOf(Admission.Take.class, arriving(withLeaseMs(30_000, 0), 4, 2));
    }

    @Test
    void assignmentForAnotherIncarnationIsSkipped() {
        Admission.Skip skip = assertInstanceOf(Admission.Skip.class, arriving(withLeaseMs(30_000, 7), 0, 0));
        assertEquals(SkipReason.OTHER_INCARNATION, skip.reason());
        assertTrue(skip.detail().contains("incarnation 7"), skip.detail());
    }

    @Test
    void leaseMsIsCountedFromReceiptOnTheMonotonicClockWhateverTheWallClockSays() {
        TaskAssignment a = withLeaseMs(1_000, INCARNATION);
        for (Instant wall : new Instant[] {NOW.plusSeconds(120), NOW.minusSeconds(120), NOW}) {
            assertInstanceOf(Admission.Take.class, starting(a, 1_000, wall), "within the lease, wall " + wall);
            Admission.Skip skip = assertInstanceOf(Admission.Skip.class, starting(a, 1_001, wall),
                    "waited longer than the lease, wall " + wall);
            assertEquals(SkipReason.LEASE_EXPIRED, skip.reason());
            assertTrue(skip.detail().contains("lease of PT1S ran out"), skip.detail());
        }
    }

    @Test
    void withoutLeaseMsAnExpiredLeaseDeadlineIsSkippedOnArrivalAndBeforeStart() {
        TaskAssignment expired = assignment(NOW.minusSeconds(40), NOW.minusMillis(1), INCARNATION);
        assertEquals(SkipReason.LEASE_EXPIRED,
                assertInstanceOf(Admission.Skip.class, arriving(expired, 0, 0)).reason());
        TaskAssignment fine = assignment(NOW, NOW.plusSeconds(1), INCARNATION);
        assertInstanceOf(Admission.Take.class, starting(fine, 0, NOW));
        assertInstanceOf(Admission.Skip.class, starting(fine, 0, NOW.plusSeconds(2)),
                "the wall clock passed the deadline while queued (the monotonic clock does not matter here)");
    }

    @Test
    void rejectsOnceCapacityPlusMaxQueuedAreHeld() {
        TaskAssignment a = withLeaseMs(30_000, INCARNATION);
        assertInstanceOf(Admission.Take.class, arriving(a, 4, 2));
        Admission.Reject reject = assertInstanceOf(Admission.Reject.class, arriving(a, 5, 3));
        assertEquals("worker w-1 saturated: 3 queued", reject.reason());
    }

    @Test
    void staleWinsOverSaturation() {
        assertInstanceOf(Admission.Skip.class, arriving(withLeaseMs(30_000, 9), 100, 50));
    }
}
