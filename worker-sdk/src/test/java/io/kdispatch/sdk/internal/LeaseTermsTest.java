package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.TaskAssignment;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseTermsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Moment RECEIVED = new Moment(NOW, -7_000_000_000L);

    private static Moment later(long millis, Instant wall) {
        return new Moment(wall, RECEIVED.nanos() + Duration.ofMillis(millis).toNanos());
    }

    private static TaskAssignment withLeaseMs(long leaseMs) {
        TaskAssignment a = AdmissionTest.assignment(NOW, NOW.plusMillis(leaseMs), 0);
        a.setLeaseMs(leaseMs);
        return a;
    }

    @Test
    void aPositiveLeaseMsIsJudgedRelativeToReceiptAndZeroOrLessFallsBackToTheDeadline() {
        assertInstanceOf(LeaseTerms.Relative.class, LeaseTerms.of(withLeaseMs(1), RECEIVED));
        TaskAssignment old = AdmissionTest.assignment(NOW, NOW.plusSeconds(1), 0);
        assertEquals(new LeaseTerms.Absolute(NOW, NOW.plusSeconds(1)), LeaseTerms.of(old, RECEIVED));
        old.setLeaseMs(-5);
        assertInstanceOf(LeaseTerms.Absolute.class, LeaseTerms.of(old, RECEIVED), "a negative lease is no lease");
    }

    @Test
    void relativeRenewalsComeEveryThirdOfTheLeaseFromReceiptWithAFloor() {
        LeaseTerms terms = LeaseTerms.of(withLeaseMs(3_000), RECEIVED);
        assertEquals(Duration.ofSeconds(1), terms.renewInterval());
        assertEquals(1_000, terms.firstRenewalDelayMs(later(0, NOW)), "started on receipt");
        assertEquals(600, terms.firstRenewalDelayMs(later(400, NOW.minusSeconds(120))), "waited 400 ms; any wall");
        assertEquals(0, terms.firstRenewalDelayMs(later(2_500, NOW.plusSeconds(120))), "overdue: renew at once");
        assertEquals(LeaseTerms.MIN_INTERVAL, LeaseTerms.of(withLeaseMs(30), RECEIVED).renewInterval());
    }

    @Test
    void aRelativeLeaseOfCenturiesNeitherExpiresNorOverflows() {
        LeaseTerms terms = LeaseTerms.of(withLeaseMs(Long.MAX_VALUE), RECEIVED);
        assertFalse(terms.expired(later(Duration.ofDays(3650).toMillis(), NOW)));
        assertEquals(Long.MAX_VALUE / 3, terms.firstRenewalDelayMs(later(0, NOW)));
    }

    @Test
    void withoutLeaseMsRenewalsComeEveryHalfOfDeadlineMinusAssignedAtFromAssignedAt() {
        LeaseTerms terms = new LeaseTerms.Absolute(NOW, NOW.plusSeconds(1));
        assertEquals(Duration.ofMillis(500), terms.renewInterval());
        assertEquals(300, terms.firstRenewalDelayMs(later(0, NOW.plusMillis(200))), "judged on the wall clock");
        assertEquals(0, terms.firstRenewalDelayMs(later(0, NOW.plusSeconds(3))));
        assertTrue(terms.expired(later(0, NOW.plusMillis(1_001))));
        assertFalse(terms.expired(later(60_000, NOW.plusMillis(1_000))), "the monotonic clock does not matter");
        assertEquals(LeaseTerms.MIN_INTERVAL, new LeaseTerms.Absolute(NOW, NOW.plusMillis(20)).renewInterval());
        assertNull(new LeaseTerms.Absolute(NOW, NOW).renewInterval(), "no lease granted, nothing to renew");
        assertNull(new LeaseTerms.Absolute(null, null).renewInterval());
        assertFalse(new LeaseTerms.Absolute(null, null).expired(later(0, NOW)));
    }
}
