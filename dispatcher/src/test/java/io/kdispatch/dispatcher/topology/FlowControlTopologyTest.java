package io.kdispatch.dispatcher.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
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

    private static void submit(DispatcherFixture f, int count) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(DispatcherFixture.task("t-" + i).build());
        }
        f.submitAll(tasks.toArray(Task[]::new));
    }
}
