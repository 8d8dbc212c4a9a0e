package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final long INCARNATION = 42;
    /** capacity 2 + maxQueued 3: at most 5 held. */
    private final Admission admission = new Admission("w-1", INCARNATION, 2, 3);

    static TaskAssignment assignment(Instant assignedAt, Instant leaseDeadline, long incarnation) {
        return TaskAssignment.newBuilder()
                .setTask(Task.newBuilder().setId("t-1").setType("test").build())
                .setWorkerId("w-1").setAttempt(1).setRoutingKey("rk")
                .setAssignedAt(assignedAt).setLeaseDeadline(leaseDeadline).setWorkerIncarnation(incarnation)
                .build();
    }

    @Test
    void freshAssignmentForThisIncarnationIsTaken() {
        assertInstanceOf(Admission.Take.class, admission.onArrival(
                assignment(NOW, NOW.plusSeconds(30), INCARNATION), NOW, 0, 0));
    }

    @Test
    void incarnationZeroMeansUnknownAndIsTaken() {
        assertInstanceOf(Admission.Take.class, admission.onArrival(assignment(NOW, NOW.plusSeconds(30), 0), NOW, 4, 2));
    }

    @Test
    void assignmentForAnotherIncarnationIsSkipped() {
        Admission.Skip skip = assertInstanceOf(Admission.Skip.class,
                admission.onArrival(assignment(NOW, NOW.plusSeconds(30), 7), NOW, 0, 0));
        assertEquals(SkipReason.OTHER_INCARNATION, skip.reason());
        assertTrue(skip.detail().contains("incarnation 7"), skip.detail());
    }

    @Test
    void expiredLeaseIsSkippedOnArrivalAndBeforeStart() {
        TaskAssignment expired = assignment(NOW.minusSeconds(40), NOW.minusMillis(1), INCARNATION);
        assertEquals(SkipReason.LEASE_EXPIRED,
                assertInstanceOf(Admission.Skip.class, admission.onArrival(expired, NOW, 0, 0)).reason());
        TaskAssignment fine = assignment(NOW, NOW.plusSeconds(1), INCARNATION);
        assertInstanceOf(Admission.Take.class, admission.onStart(fine, NOW));
        assertInstanceOf(Admission.Skip.class, admission.onStart(fine, NOW.plusSeconds(2)), "expired while queued");
    }

    @Test
    void rejectsOnceCapacityPlusMaxQueuedAreHeld() {
        TaskAssignment a = assignment(NOW, NOW.plusSeconds(30), INCARNATION);
        assertInstanceOf(Admission.Take.class, admission.onArrival(a, NOW, 4, 2));
        Admission.Reject reject = assertInstanceOf(Admission.Reject.class, admission.onArrival(a, NOW, 5, 3));
        assertEquals("worker w-1 saturated: 3 queued", reject.reason());
    }

    @Test
    void staleWinsOverSaturation() {
        TaskAssignment stale = assignment(NOW, NOW.plusSeconds(30), 9);
        assertInstanceOf(Admission.Skip.class, admission.onArrival(stale, NOW, 100, 50));
    }

    @Test
    void renewIntervalIsHalfTheLeaseWithAFloor() {
        assertEquals(Duration.ofMillis(500), LeaseKeeper.renewInterval(assignment(NOW, NOW.plusSeconds(1), 0)));
        assertEquals(LeaseKeeper.MIN_INTERVAL, LeaseKeeper.renewInterval(assignment(NOW, NOW.plusMillis(20), 0)));
        assertNull(LeaseKeeper.renewInterval(assignment(NOW, NOW, 0)), "no lease granted, nothing to renew");
    }
}
