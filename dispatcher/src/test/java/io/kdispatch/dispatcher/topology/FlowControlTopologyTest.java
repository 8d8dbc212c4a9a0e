package io.kdispatch.dispatcher.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.WorkerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            f.advance(DispatcherFixture.TICK);
            TestOutputTopic<String, TaskAssignment> topic = f.workerTopic("w1");
            submit(f, 200);
            List<TaskAssignment> first = DispatcherFixture.drain(topic);
            assertEquals(CAPACITY + PREFETCH, first.size(), "before any result: the prefetch");

            f.advance(ROUND_TRIP);
            f.result(first.get(0), ResultStatus.SUCCEEDED, 5, 0); // ran 5 ms, 95 ms of overhead
            f.advance(DispatcherFixture.TICK);

            int credit = (int) Math.ceil(CAPACITY * (ROUND_TRIP.toMillis() - 5) / 5.0); // 38
            int outstanding = first.size() - 1 + DispatcherFixture.drain(topic).size();
            assertEquals(CAPACITY + credit, outstanding, "capacity x (1 + overhead / service time)");
        }
    }

    @Test
    void theCreditStopsAtTheDeclaredQueue() {
        try (DispatcherFixture f = new DispatcherFixture()) {
            f.declaringHeartbeat("w1", CAPACITY, 10);
            f.advance(DispatcherFixture.TICK);
            TestOutputTopic<String, TaskAssignment> topic = f.workerTopic("w1");
            submit(f, 200);
            List<TaskAssignment> first = DispatcherFixture.drain(topic);

            f.advance(ROUND_TRIP);
            f.result(first.get(0), ResultStatus.SUCCEEDED, 5, 0);
            f.advance(DispatcherFixture.TICK);

            assertEquals(CAPACITY + 10, first.size() - 1 + DispatcherFixture.drain(topic).size());
        }
    }

    @Test
    void aWorkerThatDeclaresNoQueueKeepsThePrefetch() {
        try (DispatcherFixture f = new DispatcherFixture()) {
            f.heartbeat("w1", Map.of(), WorkerStatus.READY, 7L, CAPACITY, 0);
            f.advance(DispatcherFixture.TICK);
            TestOutputTopic<String, TaskAssignment> topic = f.workerTopic("w1");
            submit(f, 200);
            List<TaskAssignment> first = DispatcherFixture.drain(topic);

            f.advance(ROUND_TRIP);
            f.result(first.get(0), ResultStatus.SUCCEEDED, 5, 0);
            f.advance(DispatcherFixture.TICK);

            assertEquals(CAPACITY + PREFETCH, first.size() - 1 + DispatcherFixture.drain(topic).size());
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
