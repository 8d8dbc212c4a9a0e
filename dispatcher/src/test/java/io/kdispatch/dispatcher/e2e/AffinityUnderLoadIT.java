package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, reproduction (a): four workers at full load (capacity 4, 300 ms tasks, 400 tasks submitted in
 * one burst, so every worker has a backlog) and 40 affinity keys with a skewed (Zipf-like) popularity. No
 * key ever runs on two workers (none fails, so every worker stays eligible), and each key's tasks reach
 * their worker in the order they were submitted, which is the order the worker takes them up (a worker
 * with several slots then runs a key's tasks side by side). Before the bindings, 16 of 40 keys ran on two
 * or more workers in this setting.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class AffinityUnderLoadIT {
    private static final int TASKS = 400;
    private static final int KEYS = 40;

    @Test
    void keysStayOnOneWorkerAndReachItInIntakeOrder(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        Map<String, Set<String>> workersByKey = new ConcurrentHashMap<>();
        TaskHandler handler = ctx -> {
            String key = ctx.task().getAffinityKey();
            workersByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(ctx.workerId());
            SimulatedWork.take(300); // as in the reproduction: 400 x 300 ms over 16 slots is 7.5 s of work
            return ctx.payload();
        };
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.dispatcher(DispatchMetrics.NOOP);
            for (int w = 1; w <= 4; w++) {
                stack.worker("w" + w, 4, handler);
            }
            OutcomeTracker outcomes = stack.outcomes();
            Map<String, List<String>> submittedByKey = submit(stack.submitter());

            Set<String> ids = new HashSet<>();
            submittedByKey.values().forEach(ids::addAll);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> outcomes.allEnded(ids));
            assertThat(outcomes.completed()).isEqualTo(TASKS);

            Set<String> spread = new TreeSet<>();
            workersByKey.forEach((key, workers) -> {
                if (workers.size() > 1) {
                    spread.add(key + "=" + workers);
                }
            });
            assertThat(spread).as("keys that ran on more than one worker").isEmpty();
            Map<String, List<String>> sentByKey = new LinkedHashMap<>();
            for (TaskAssignment a : WorkerTopics.readAll(stack, TASKS)) {
                sentByKey.computeIfAbsent(a.getTask().getAffinityKey(), k -> new ArrayList<>()).add(a.getTask().getId());
            }
            assertThat(sentByKey).as("each key's tasks, in the order their worker received them")
                    .isEqualTo(submittedByKey);
            assertThat(stack.executions.count()).as("each task ran once").isEqualTo(TASKS);
        }
    }

    /** Submits the tasks in one order; returns each key's task IDs in that order. */
    private static Map<String, List<String>> submit(SubmitClient client) throws Exception {
        Random random = new Random(9);
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < TASKS; i++) {
            // Zipf-like skew: key 0 is the hottest, the square makes low indexes far more likely.
            double u = random.nextDouble();
            String key = "key-" + (int) (KEYS * u * u);
            String id = "t-" + i;
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            client.submit(Task.newBuilder().setId(id).setType("affinity").setAffinityKey(key)
                    .setPayload(ByteBuffer.wrap(new byte[] {(byte) i})).build());
        }
        client.flush(); // one burst, as a producer would send it: every worker has a backlog (full load)
        return byKey;
    }
}
