package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.quota.Fairness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wait queue's fair order: turns by weight, each tenant's own order, lines, aging, changes meanwhile. */
class WaitQueueTest {
    private final WaitQueue q = new WaitQueue();
    private long seq;

    private WaitQueue.Waiter add(String tenant, String id, int priority, String line, long sinceMs) {
        WaitQueue.Waiter w = new WaitQueue.Waiter(priority, ++seq, id, line, tenant, sinceMs);
        q.add(w);
        return w;
    }

    private void burst(String tenant, int n) {
        for (int i = 0; i < n; i++) {
            add(tenant, tenant + i, 0, null, 0);
        }
    }

    @Test
    void tenantsWithEqualWeightsTakeTurnsWhateverTheirBacklog() {
        burst("a", 100_000);
        burst("b", 3);
        assertThat(q.head(10, 0)).containsExactly("a0", "b0", "a1", "b1", "a2", "b2", "a3", "a4", "a5", "a6");
    }

    @Test
    void weightsShareTheTurns() {
        q.fairness(new Fairness(Map.of("a", 3), 0));
        burst("a", 1000);
        burst("b", 1000);
        List<String> head = q.head(400, 0);
        long a = head.stream().filter(id -> id.startsWith("a")).count();
        assertThat(a).isBetween(299L, 301L);
    }

    @Test
    void aTenantWhoseTasksWereSentWaitsForTheOthersTurn() {
        burst("a", 10);
        burst("b", 10);
        q.served("a");
        q.served("a");
        assertThat(q.head(3, 0)).containsExactly("b0", "b1", "a0");
    }

    @Test
    void aTenantThatCouldNotGoGetsNoBurstOfCatchUpTurns() {
        burst("a", 200);
        burst("b", 200); // b is at its quota: the others' tasks go meanwhile
        for (int i = 0; i < 100; i++) {
            q.remove(new WaitQueue.Waiter(0, i + 1, "a" + i, null, "a", 0));
            q.served("a");
        }
        // b rejoins at the clock: one tie goes its way, then turns again (not 100 turns in a row)
        assertThat(q.head(6, 0)).containsExactly("b0", "b1", "a100", "b2", "a101", "b3");
    }

    @Test
    void aTenantThatStartsWaitingJoinsAtTheClockWithNoSavedTurns() {
        burst("a", 2000);
        for (int i = 0; i < 1000; i++) {
            q.served("a");
        }
        burst("b", 10);
        List<String> head = q.head(20, 0);
        assertThat(head.subList(0, 3)).containsExactly("b0", "b1", "a0"); // one tie at most, then turns
        assertThat(head.stream().filter(id -> id.startsWith("b")).count()).isEqualTo(10);
    }

    @Test
    void withinATenantPriorityThenPlace() {
        add("a", "a-low", 0, null, 0);
        add("a", "a-high", 5, null, 0);
        add("a", "a-high2", 5, null, 0);
        add("b", "b-x", 9, null, 0);
        assertThat(q.head(10, 0)).containsExactly("a-high", "b-x", "a-high2", "a-low");
    }

    @Test
    void aKeysTasksLeaveInIntakeOrderAcrossTenantsAndPriorities() {
        WaitQueue.Waiter first = add("a", "k1", 0, "k", 0);
        add("b", "k2", 9, "k", 0);
        add("b", "b-other", 1, null, 0);
        assertThat(q.head(10, 0)).containsExactly("k1", "b-other"); // only the line's head competes
        assertThat(q.waitingAhead("k", "k2")).isTrue();
        q.remove(first);
        assertThat(q.head(10, 0)).containsExactly("k2", "b-other");
        assertThat(q.size()).isEqualTo(2);
    }

    @Test
    void aTaskThatWaitedTheAgingIntervalGoesAheadOfHigherPriorities() {
        q.fairness(new Fairness(Map.of(), 1_000));
        add("a", "low", -5, null, 0);
        add("a", "high1", 5, null, 400);
        add("a", "high2", 5, null, 900);
        assertThat(q.head(1, 999)).containsExactly("high1");
        assertThat(q.head(3, 1_000)).containsExactly("low", "high1", "high2");
        assertThat(q.head(3, 1_400)).containsExactly("low", "high1", "high2"); // aged ones oldest first
    }

    @Test
    void withAgingOffALowPriorityTaskWaitsBehindEveryHigherOne() {
        q.fairness(new Fairness(Map.of(), 0));
        add("a", "low", -5, null, 0);
        add("a", "high", 5, null, 0);
        assertThat(q.head(2, Long.MAX_VALUE / 2)).containsExactly("high", "low");
    }

    @Test
    void agingDoesNotReorderALine() {
        q.fairness(new Fairness(Map.of(), 1_000));
        add("a", "k1", 5, "k", 500);
        add("a", "k2", -5, "k", 0); // later in the line, though it waited longer: stays behind
        add("a", "other", 9, null, 600);
        assertThat(q.head(5, 2_000)).containsExactly("k1", "other");
    }

    @Test
    void theHeadIsACopyTheCallerMayChangeTheQueueMeanwhile() {
        List<WaitQueue.Waiter> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(add(i % 2 == 0 ? "a" : "b", "t" + i, 0, i < 2 ? null : "k", 0));
        }
        List<String> head = q.head(10, 0);
        List<String> seen = new ArrayList<>();
        for (String id : head) { // as WaitingRelease does: each one sent is removed while the list is walked
            seen.add(id);
            all.stream().filter(w -> w.taskId().equals(id)).findFirst().ifPresent(q::remove);
        }
        assertThat(seen).containsExactly("t0", "t1", "t2");
        assertThat(q.head(10, 0)).containsExactly("t3");
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.tenants()).isEqualTo(1);
    }

    @Test
    void removingEverythingForgetsTheTenants() {
        WaitQueue.Waiter w = add("a", "x", 0, null, 0);
        q.remove(w);
        q.remove(w); // twice: nothing happens
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.tenants()).isZero();
        assertThat(q.head(5, 0)).isEmpty();
    }
}
