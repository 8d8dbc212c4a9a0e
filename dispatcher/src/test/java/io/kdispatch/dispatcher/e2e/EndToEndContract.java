package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.app.Dispatcher;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.dispatcher.topology.StoreNames;
import io.kdispatch.sdk.ExecutionEvent;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.TaskAssignment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end behaviour every Kafka environment must show: run against the embedded broker and a
 * real registry here, and against Testcontainers' Kafka and registry where Docker exists.
 */
abstract class EndToEndContract {
    private Stack stack;

    abstract String bootstrapServers();

    abstract String registryUrl();

    @BeforeEach
    void startStack() {
        stack = new Stack(bootstrapServers(), registryUrl());
    }

    @AfterEach
    void closeStack() throws Exception {
        stack.close();
    }

    @Test
    void everyTaskCompletesOnceAndAnAffinityKeyStaysOnOneWorker() throws Exception {
        // Plain key affinity: a bounded-load factor of 10 keeps a busy key on its worker (the default 1.25
        // lets a hot key spill, which the routing tests cover).
        stack.routing = new RoutingConfig(Strategy.CONSISTENT_HASH, null, 0, 10.0, 2);
        Dispatcher dispatcher = stack.dispatcher(DispatchMetrics.NOOP);
        TaskHandler quick = ctx -> ctx.payload();
        for (String id : List.of("w1", "w2", "w3")) {
            stack.worker(id, 16, quick);
        }
        OutcomeTracker outcomes = stack.outcomes();
        Set<String> ids = submit(stack.submitter(), 5_000, 200);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> outcomes.allEnded(ids));

        assertThat(outcomes.completed()).isEqualTo(ids.size());
        assertThat(outcomes.deadLettered()).isEmpty();
        assertThat(outcomes.duplicateResults()).isZero();
        Map<String, List<ExecutionEvent>> byTask = stack.executions.groupedByTask();
        assertThat(byTask.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(byTask.values()).allSatisfy(runs -> assertThat(runs).hasSize(1));
        Map<String, Set<String>> workersByKey = new HashMap<>();
        for (ExecutionEvent e : stack.executions.events()) {
            workersByKey.computeIfAbsent(keyOf(e.taskId(), 200), k -> new HashSet<>()).add(e.workerId());
        }
        assertThat(workersByKey).hasSize(200);
        assertThat(workersByKey).allSatisfy((key, workers) -> assertThat(workers).as(key).hasSize(1));
        assertThat(stack.executions.events().stream().map(ExecutionEvent::workerId).collect(Collectors.toSet()))
                .as("all three workers took part").hasSize(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> openAssignments(dispatcher) == 0);
    }

    @Test
    void killingAWorkerMidRunLosesNoTask() throws Exception {
        stack.dispatcher(DispatchMetrics.NOOP);
        TaskHandler slowish = ctx -> {
            SimulatedWork.take(5); // so that the victim has tasks in flight and queued
            return ctx.payload();
        };
        for (String id : List.of("w1", "w2", "w3")) {
            stack.worker(id, 4, slowish);
        }
        OutcomeTracker outcomes = stack.outcomes();
        Set<String> ids = submit(stack.submitter(), 1_500, 60);

        await().atMost(Duration.ofSeconds(60)).until(() -> stack.executions.byWorker("w1").size() >= 50);
        stack.workers.get("w1").abort();
        int executedByVictim = stack.executions.byWorker("w1").size();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> outcomes.allEnded(ids));
        assertThat(outcomes.completed()).isEqualTo(ids.size());
        assertThat(outcomes.deadLettered()).isEmpty();
        assertThat(stack.executions.byWorker("w1")).hasSize(executedByVictim);
        Set<String> unfinishedOnVictim = stack.executions.events().stream()
                .filter(e -> !e.workerId().equals("w1")).filter(e -> e.attempt() > 1)
                .map(ExecutionEvent::taskId).collect(Collectors.toSet());
        assertThat(unfinishedOnVictim).as("the victim's unfinished tasks ran elsewhere").isNotEmpty();
        assertThat(stack.executions.events().stream().filter(e -> e.status() != ResultStatus.SUCCEEDED)).isEmpty();
    }

    static Set<String> submit(SubmitClient client, int count, int keys) throws Exception {
        Set<String> ids = new HashSet<>();
        CompletableFuture<?>[] sent = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            String id = "t-" + i;
            ids.add(id);
            sent[i] = client.submit(Task.newBuilder().setId(id).setType("e2e")
                    .setAffinityKey("key-" + (i % keys)).setPayload(ByteBuffer.wrap(new byte[] {(byte) i})).build());
        }
        client.flush();
        CompletableFuture.allOf(sent).get(60, TimeUnit.SECONDS);
        return ids;
    }

    private static String keyOf(String taskId, int keys) {
        return "key-" + (Integer.parseInt(taskId.substring(2)) % keys);
    }

    private static long openAssignments(Dispatcher dispatcher) {
        ReadOnlyKeyValueStore<String, StoredAttempt> store = dispatcher.streams().store(
                StoreQueryParameters.fromNameAndType(StoreNames.ATTEMPTS, QueryableStoreTypes.keyValueStore()));
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
