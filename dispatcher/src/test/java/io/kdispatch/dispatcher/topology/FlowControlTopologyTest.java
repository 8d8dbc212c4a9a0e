package io.kdispatch.dispatcher.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.WorkerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

/**
 * Flow control on the real topology: a worker that declares its queue gets credit for the round trip its
 * results take, learned from them; one that declares nothing keeps the fixed prefetch.
 */
class FlowControlTopologyTest {
    private static final int CAPACITY = 2;
    private static final int PREFETCH = 2; // RoutingConfig.DEFAULT_PREFETCH
    private static final Duration ROUND_TRIP = Duration.ofMillis(100);

    @Test
    void shortTasksEarnCreditForTheRoundTrip() {
        try (DispatcherFixture f = new DispatcherFixture()) {
            f.declaringHeartbeat("w1", CAPACITY, 100);

            int credit = (int) Math.ceil(LoadTracker.GAIN * CAPACITY * (ROUND_TRIP.toMillis() - 5) / 5.0); // 76
            assertEquals(CAPACITY + credit, holdsAfterOneResult(f),
                    "capacity x (1 + gain x overhead / service time)");
        }
    }

    @Test
    void theCreditStopsAtTheDeclaredQueue() {
        try (DispatcherFixture f = new DispatcherFixture()) {
            f.declaringHeartbeat("w1", CAPACITY, 10);

            assertEquals(CAPACITY + 10, holdsAfterOneResult(f));
        }
    }

    @Test
    void aWorkerThatDeclaresNoQueueKeepsThePrefetch() {
        try (DispatcherFixture f = new DispatcherFixture()) {
            f.heartbeat("w1", Map.of(), WorkerStatus.READY, 7L, CAPACITY, 0);

            assertEquals(CAPACITY + PREFETCH, holdsAfterOneResult(f));
        }
    }

    /**
     * Lets a tick pass, submits 200 tasks (w1 gets the prefetch beyond its capacity), answers the first
     * after a 100 ms round trip in which it ran 5 ms, lets a tick pass, and returns what w1 holds then.
     */
    private static int holdsAfterOneResult(DispatcherFixture f) {
        f.advance(DispatcherFixture.TICK);
        TestOutputTopic<String, TaskAssignment> topic = f.workerTopic("w1");
        submit(f, 200);
        List<TaskAssignment> first = DispatcherFixture.drain(topic);
        assertEquals(CAPACITY + PREFETCH, first.size(), "before any result: the prefetch");

        f.advance(ROUND_TRIP);
        f.result(first.get(0), ResultStatus.SUCCEEDED, 5, 0); // ran 5 ms: 95 ms of overhead
        f.advance(DispatcherFixture.TICK);
        return first.size() - 1 + DispatcherFixture.drain(topic).size();
    }

    @Test
    void aFullFleetCostsNoDecisionsOnTicksAndAResultReleasesOnlyWhatFits() {
        AtomicInteger decisions = new AtomicInteger();
        DispatchMetrics counting = new DispatchMetrics() {
            @Override
            public void decided(long nanos) {
                decisions.incrementAndGet();
            }
        };
        try (DispatcherFixture f = new DispatcherFixture(counting, "exactly_once_v2")) {
            f.heartbeat("w1", Map.of(), WorkerStatus.READY, 7L, CAPACITY, 0);
            f.advance(DispatcherFixture.TICK);
            TestOutputTopic<String, TaskAssignment> topic = f.workerTopic("w1");
            submit(f, 100);
            List<TaskAssignment> first = DispatcherFixture.drain(topic);
            assertEquals(CAPACITY + PREFETCH, first.size());
            int afterIntake = decisions.get();

            for (int i = 0; i < 5; i++) {
                f.heartbeat("w1", Map.of(), WorkerStatus.READY, 7L, CAPACITY, CAPACITY + PREFETCH);
                f.advance(DispatcherFixture.TICK);
            }
            assertEquals(afterIntake, decisions.get(), "the 96 waiting tasks are not decided again while w1 is full");

            f.result(first.get(0), ResultStatus.SUCCEEDED, 5, 0);
            assertEquals(1, DispatcherFixture.drain(topic).size());
            assertEquals(afterIntake + 1, decisions.get(), "one slot freed: one waiting task decided and sent");
        }
    }

    @Test
    void aTenantBelowItsShareGoesPastAFullWorkersCreditButNotPastItsDeclaredQueue() {
        try (DispatcherFixture f = new DispatcherFixture(DispatchMetrics.NOOP, QuotaSettings.DEFAULTS, 1)) {
            f.declaringHeartbeat("w1", CAPACITY, 10); // credit: the prefetch until results teach it; ceiling 2 + 10
            f.advance(DispatcherFixture.TICK);
            TestOutputTopic<String, TaskAssignment> topic = f.workerTopic("w1");
            f.submitAll(tenantTasks("burst", 20));
            assertEquals(CAPACITY + PREFETCH, DispatcherFixture.drain(topic).size(), "the burst fills the credit");

            f.submitAll(tenantTasks("small", 6));
            List<TaskAssignment> small = DispatcherFixture.drain(topic);
            // small holds c of the 4 + c in flight; below its half while 2c < 4 + c: c = 0..3 go, the rest wait
            assertEquals(4, small.size(), "the small tenant goes past the full credit up to its share");
            for (TaskAssignment a : small) {
                assertEquals("small", a.getTenant());
                assertEquals(1, a.getTenantWeight());
                assertTrue(a.getStrategy().endsWith(RoutingPort.PAST_CREDIT), a.getStrategy());
            }
            f.submit(DispatcherFixture.task("late-burst").setHeaders(Map.of("tenant", "burst")).build());
            assertEquals(List.of(), DispatcherFixture.drain(topic), "the tenant over its share still waits for credit");
        }
    }

    @Test
    void noTenantGoesPastWhatTheWorkerDeclaredItCanHold() {
        try (DispatcherFixture f = new DispatcherFixture(DispatchMetrics.NOOP, QuotaSettings.DEFAULTS, 1)) {
            f.declaringHeartbeat("w1", CAPACITY, PREFETCH); // the ceiling is the credit: capacity + prefetch
            f.advance(DispatcherFixture.TICK);
            TestOutputTopic<String, TaskAssignment> topic = f.workerTopic("w1");
            f.submitAll(tenantTasks("burst", 20));
            assertEquals(CAPACITY + PREFETCH, DispatcherFixture.drain(topic).size());

            f.submitAll(tenantTasks("small", 3));
            assertEquals(List.of(), DispatcherFixture.drain(topic), "a worker at its declared queue takes no more");
        }
    }

    private static Task[] tenantTasks(String tenant, int count) {
        Task[] tasks = new Task[count];
        for (int i = 0; i < count; i++) {
            tasks[i] = DispatcherFixture.task(tenant + "-" + i).setHeaders(Map.of("tenant", tenant)).build();
        }
        return tasks;
    }

    private static void submit(DispatcherFixture f, int count) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(DispatcherFixture.task("t-" + i).build());
        }
        f.submitAll(tasks.toArray(Task[]::new));
    }
}
