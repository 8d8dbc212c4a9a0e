package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.WorkerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fair queuing through the real topology on a driven clock: a small tenant's tasks are not held behind
 * another tenant's burst, weights change on the control topic, and aging bounds a low-priority task's wait
 * under sustained high-priority load.
 */
class FairQueueTopologyTest {
    private static final int CAPACITY = 4;

    private DispatcherFixture f;
    private TestOutputTopic<String, TaskAssignment> w1;
    private final Map<String, TaskAssignment> inFlight = new LinkedHashMap<>();
    private final List<String> dispatched = new ArrayList<>();
    private int fleet;

    @BeforeEach
    void start() {
        f = new DispatcherFixture(DispatchMetrics.NOOP, QuotaSettings.DEFAULTS, 1);
        heartbeat();
        f.advance(DispatcherFixture.TICK);
        w1 = f.workerTopic("w1");
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void heartbeat() {
        f.heartbeat("w1", Map.of(), WorkerStatus.READY, 7L, CAPACITY, inFlight.size());
    }

    private static Task task(String id, String tenant, int priority) {
        return DispatcherFixture.task(id).setPriority(priority).setHeaders(Map.of("tenant", tenant)).build();
    }

    private void collect() {
        for (TaskAssignment a : DispatcherFixture.drain(w1)) {
            inFlight.put(a.getTask().getId(), a);
            dispatched.add(a.getTask().getId());
        }
    }

    /** The oldest task in flight ends; the room it frees goes to the queue's next task. */
    private void finishOne() {
        String id = inFlight.keySet().iterator().next();
        f.result(inFlight.remove(id), ResultStatus.SUCCEEDED);
        collect();
    }

    /** Dispatches from the moment tenant B submitted until its last task went out. */
    private int dispatchesUntilBIsDone(int bTasks) {
        for (int i = 0; i < 2_000; i++) {
            f.submit(task(String.format("A-%04d", i), "A", 0));
        }
        collect();
        fleet = dispatched.size();
        assertThat(fleet).as("the fleet's room").isGreaterThanOrEqualTo(CAPACITY);
        assertThat(f.waiting()).isEqualTo(2_000 - fleet);
        for (int i = 0; i < bTasks; i++) {
            f.submit(task("B-" + i, "B", 0));
        }
        int from = dispatched.size();
        while (dispatched.stream().filter(id -> id.startsWith("B-")).count() < bTasks) {
            finishOne();
        }
        return dispatched.size() - from;
    }

    @Test
    void aSmallTenantIsNotHeldBehindAnotherTenantsBurst() {
        int dispatches = dispatchesUntilBIsDone(10); // measured: 20, the fleet's room 6
        assertThat(dispatches).as("dispatches until B's 10 tasks went out, behind A's burst of 2,000")
                .isLessThanOrEqualTo(2 * 10 + fleet);
        // within A the queue order holds: A's tasks went out in intake order (one priority)
        List<String> a = dispatched.stream().filter(id -> id.startsWith("A-")).toList();
        assertThat(a).isSorted();
    }

    @Test
    void aWeightSetOnTheControlTopicSharesTheTurnsByIt() {
        f.control("fair.weight.A", "9");
        f.advance(DispatcherFixture.TICK);
        heartbeat();
        int dispatches = dispatchesUntilBIsDone(10);
        assertThat(dispatches).as("B gets one turn in ten now").isBetween(90, 100 + fleet); // measured: 92
    }

    @Test
    void agingBoundsALowPriorityTasksWaitUnderSustainedHighPriorityLoad() {
        f.control("queue.aging.ms", "2000");
        f.advance(DispatcherFixture.TICK);
        heartbeat();
        long waitMs = lowPriorityWait();
        assertThat(waitMs).as("the low-priority task's wait, aging 2,000 ms, tick 200 ms")
                .isBetween(2_000L, 2_000L + DispatcherFixture.TICK.toMillis());
    }

    @Test
    void withoutAgingALowPriorityTaskStarvesUnderThatLoad() {
        f.control("queue.aging.ms", "0");
        f.advance(DispatcherFixture.TICK);
        heartbeat();
        assertThat(lowPriorityWait()).as("never dispatched while high-priority tasks keep coming").isEqualTo(-1);
    }

    /**
     * Keeps the fleet full of high-priority tasks, one ending and one arriving every 100 ms for 10 s, with one
     * low-priority task among them; returns how long that task waited, or -1 when it never went.
     */
    private long lowPriorityWait() {
        for (int i = 0; i < 20; i++) {
            f.submit(task("hi-" + i, "A", 5));
        }
        f.submit(task("low", "A", -1));
        long submitted = f.now().toEpochMilli();
        collect();
        for (int step = 0; step < 100; step++) {
            f.advance(Duration.ofMillis(100));
            heartbeat();
            f.submit(task("hi-more-" + step, "A", 5));
            finishOne();
            if (inFlight.containsKey("low") || dispatched.contains("low")) {
                return f.now().toEpochMilli() - submitted;
            }
        }
        return -1;
    }
}
