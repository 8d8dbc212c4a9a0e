package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FairWaitingTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final TopicPartition P0 = new TopicPartition("kdispatch.worker.w-1", 0);
    private static final TopicPartition P1 = new TopicPartition("kdispatch.worker.w-1", 1);

    private final FairWaiting waiting = new FairWaiting();
    private long offset;

    private Pending pending(String id, String tenant, int weight, TopicPartition partition) {
        TaskAssignment a = TaskAssignment.newBuilder()
                .setTask(Task.newBuilder().setId(id).setType("test").build())
                .setWorkerId("w-1").setAttempt(1).setRoutingKey(id)
                .setAssignedAt(NOW).setLeaseDeadline(NOW.plusSeconds(60)).setLeaseMs(60_000)
                .setTenant(tenant).setTenantWeight(weight).build();
        Moment received = new Moment(NOW, 0);
        return new Pending(partition, offset++, a, received, LeaseTerms.of(a, received));
    }

    private void add(String id, String tenant) {
        waiting.add(pending(id, tenant, 1, P0));
    }

    private List<String> drain() {
        List<String> order = new ArrayList<>();
        for (Pending p = waiting.poll(); p != null; p = waiting.poll()) {
            order.add(p.taskId());
        }
        return order;
    }

    @Test
    void oneTenantStartsFirstInFirstOut() {
        for (int i = 0; i < 5; i++) {
            add("t-" + i, "");
        }
        assertEquals(5, waiting.size());
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3", "t-4"), drain());
        assertTrue(waiting.isEmpty());
    }

    @Test
    void aTenantArrivingBehindAnotherTenantsBacklogStartsNextNotLast() {
        for (int i = 0; i < 100; i++) {
            add("burst-" + i, "burst");
        }
        assertEquals("burst-0", waiting.poll().taskId());
        add("small-0", "small");
        // "burst" and "small" now share the pass of the last start; ties go by name, so one burst task may go first
        assertTrue(List.of(waiting.poll().taskId(), waiting.poll().taskId()).contains("small-0"));
        assertEquals(98, waiting.size());
    }

    @Test
    void equalWeightsAlternateAndWeightsShareTheStarts() {
        for (int i = 0; i < 30; i++) {
            waiting.add(pending("a-" + i, "a", 2, P0));
            waiting.add(pending("b-" + i, "b", 1, P0));
        }
        List<String> first30 = drain().subList(0, 30);
        List<String> ofA = first30.stream().filter(id -> id.startsWith("a-")).toList();
        assertEquals(IntStream.range(0, 20).mapToObj(i -> "a-" + i).toList(), ofA, "weight 2 against 1, in order");
    }

    @Test
    void removingARevokedPartitionKeepsTheRestInTheirOrder() {
        waiting.add(pending("a-0", "a", 1, P0));
        waiting.add(pending("a-1", "a", 1, P1));
        waiting.add(pending("b-0", "b", 1, P1));
        waiting.add(pending("a-2", "a", 1, P0));
        waiting.removeIf(p -> p.partition().equals(P1));
        assertEquals(2, waiting.size());
        assertEquals(List.of("a-0", "a-2"), drain());
    }

    @Test
    void anAbsurdWeightIsClampedNotTrusted() {
        waiting.add(pending("a-0", "a", 0, P0));
        waiting.add(pending("a-1", "a", -5, P0));
        waiting.add(pending("b-0", "b", Integer.MAX_VALUE, P0));
        waiting.add(pending("b-1", "b", Integer.MAX_VALUE, P0));
        List<String> order = drain();
        assertEquals(4, order.size());
        assertEquals(List.of("a-0", "a-1"), order.stream().filter(id -> id.startsWith("a-")).toList());
        assertNull(waiting.poll());
    }
}
