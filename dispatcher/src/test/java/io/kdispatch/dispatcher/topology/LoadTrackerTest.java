package io.kdispatch.dispatcher.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The load and credit rules of {@link LoadTracker}, one per test. */
class LoadTrackerTest {
    private static final int CAPACITY = 8;
    private static final int PREFETCH = 2;

    private final LoadTracker loads = new LoadTracker();

    @Test
    void aWorkerThatDeclaresNoQueueGetsExactlyThePrefetch() {
        loads.observe("w", 0, 0, -1, 1_000);
        teach(5, 200, 0);

        assertEquals(CAPACITY + PREFETCH, loads.limit("w", CAPACITY, PREFETCH));
    }

    @Test
    void theCreditStartsAtThePrefetchUntilResultsTeachIt() {
        loads.observe("w", 0, 0, 1_000, 1_000);

        assertEquals(CAPACITY + PREFETCH, loads.limit("w", CAPACITY, PREFETCH));
    }

    @Test
    void shortTasksBehindALongRoundTripGetCapacityTimesGainTimesOverheadOverServiceTime() {
        loads.observe("w", 0, 0, 1_000, 1_000);
        teach(5, 105, 0); // round trip 105 ms = 5 ms run + 100 ms overhead

        assertEquals(CAPACITY + (int) (LoadTracker.GAIN * CAPACITY * 100 / 5), loads.limit("w", CAPACITY, PREFETCH));
    }

    @Test
    void timeWaitedOnTheWorkerIsNotOverhead() {
        loads.observe("w", 0, 0, 1_000, 1_000);
        teach(5, 105, 100); // it waited 100 ms next to the slots: no overhead left to cover

        assertEquals(CAPACITY + PREFETCH, loads.limit("w", CAPACITY, PREFETCH));
    }

    @Test
    void roundTripsLengthenedByAQueueDoNotGrowTheCredit() {
        loads.observe("w", 0, 0, 1_000, 1_000);
        teach(5, 105, 0); // an unqueued round trip: 100 ms of overhead
        for (int i = 0; i < WindowedMin.WINDOW; i++) {
            teach(5, 2_005, 0); // waited 2 s in the worker's topic, behind the credit's own queue
        }

        assertEquals(CAPACITY + (int) (LoadTracker.GAIN * CAPACITY * 100 / 5), loads.limit("w", CAPACITY, PREFETCH));
    }

    @Test
    void roundTripsThatAllWaitedInAQueueGiveCreditForAtMostTheLargestOverhead() {
        loads.observe("w", 0, 0, 1_000, 1_000);
        for (int i = 0; i < 2 * WindowedMin.WINDOW; i++) {
            teach(200, 6_200, 0); // every result waited 6 s for a dispatcher behind on its input
        }

        int capped = (int) Math.ceil(LoadTracker.GAIN * CAPACITY * LoadTracker.MAX_OVERHEAD_MS / 200);
        assertEquals(CAPACITY + capped, loads.limit("w", CAPACITY, PREFETCH));
    }

    @Test
    void theCreditNeverExceedsTheDeclaredQueue() {
        loads.observe("w", 0, 0, 50, 1_000);
        teach(1, 500, 0);

        assertEquals(CAPACITY + 50, loads.limit("w", CAPACITY, PREFETCH));
    }

    @Test
    void longTasksGetAboutThePrefetch() {
        loads.observe("w", 0, 0, 1_000, 1_000);
        teach(60_000, 60_100, 0);

        assertEquals(CAPACITY + PREFETCH, loads.limit("w", CAPACITY, PREFETCH));
    }

    @Test
    void aResultCountedByTheLastHeartbeatStillFreesItsSlot() {
        loads.observe("w", 3, 2, 1_000, 1_000);
        loads.finished("w");
        loads.finished("w");

        assertEquals(3, loads.load("w"));
    }

    @Test
    void theLoadNeverGoesBelowZero() {
        loads.observe("w", 1, 0, 1_000, 1_000);
        for (int i = 0; i < 5; i++) {
            loads.finished("w");
        }

        assertEquals(0, loads.load("w"));
    }

    @Test
    void aNewHeartbeatReplacesWhatWasSentAndFinishedSinceTheLast() {
        loads.observe("w", 0, 0, 1_000, 1_000);
        loads.sent("w");
        loads.sent("w");
        loads.observe("w", 4, 0, 1_000, 2_000);

        assertEquals(4, loads.load("w"));
    }

    /** One result: the first sample is the service time's moving average and the overhead's minimum. */
    private void teach(long durationMs, long roundTripMs, long queuedMs) {
        loads.sent("w");
        loads.completed("w", durationMs, roundTripMs, queuedMs);
    }
}
