package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.quota.Fairness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Seeded histories of adds, removes and sent tasks: each tenant's order is the old queue's order (aging off),
 * and no waiting tenant falls behind its weighted share by more than the stated bound.
 */
class WaitQueuePropertyTest {
    private static final String[] TENANTS = {"a", "b", "c", "d", "e"};

    @Property(tries = 300)
    void eachTenantsOrderIsTheOldQueuesOrder(@ForAll long seed) {
        Random rnd = new Random(seed);
        WaitQueue fair = new WaitQueue();
        fair.fairness(new Fairness(Map.of("a", 1 + rnd.nextInt(3)), 0));
        ReferenceWaitQueue old = new ReferenceWaitQueue();
        List<WaitQueue.Waiter> live = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            int op = rnd.nextInt(10);
            if (op < 6 || live.isEmpty()) {
                String line = rnd.nextInt(3) == 0 ? null : "k" + rnd.nextInt(4);
                WaitQueue.Waiter w = new WaitQueue.Waiter(rnd.nextInt(5) - 2, step + 1, "t" + step, line,
                        TENANTS[rnd.nextInt(3)], 0);
                live.add(w);
                fair.add(w);
                old.add(new ReferenceWaitQueue.Waiter(w.priority(), w.seq(), w.taskId(), w.line()));
            } else if (op < 9) {
                WaitQueue.Waiter w = live.remove(rnd.nextInt(live.size()));
                fair.remove(w);
                old.remove(new ReferenceWaitQueue.Waiter(w.priority(), w.seq(), w.taskId(), w.line()));
            } else {
                fair.served(TENANTS[rnd.nextInt(3)]);
            }
        }
        Map<String, String> tenantOf = new HashMap<>();
        live.forEach(w -> tenantOf.put(w.taskId(), w.tenant()));
        List<String> fairHead = fair.head(Integer.MAX_VALUE, 0);
        List<String> oldHead = old.head(Integer.MAX_VALUE);
        assertThat(fairHead).as("seed %d: the same tasks compete", seed).containsExactlyInAnyOrderElementsOf(oldHead);
        assertThat(fair.size()).isEqualTo(old.size());
        for (String tenant : TENANTS) {
            assertThat(fairHead.stream().filter(id -> tenantOf.get(id).equals(tenant)).toList())
                    .as("seed %d, tenant %s", seed, tenant)
                    .isEqualTo(oldHead.stream().filter(id -> tenantOf.get(id).equals(tenant)).toList());
        }
    }

    @Property(tries = 300)
    void noWaitingTenantFallsBehindItsShareByMoreThanTheBound(@ForAll long seed,
                                                               @ForAll @IntRange(min = 2, max = 5) int tenants) {
        Random rnd = new Random(seed);
        Map<String, Integer> weights = new HashMap<>();
        WaitQueue q = new WaitQueue();
        int seq = 0;
        for (int t = 0; t < tenants; t++) {
            weights.put(TENANTS[t], 1 + rnd.nextInt(4));
            int n = 1 + rnd.nextInt(300);
            for (int i = 0; i < n; i++) {
                seq++;
                q.add(new WaitQueue.Waiter(rnd.nextInt(3), seq, TENANTS[t] + ":" + seq, null, TENANTS[t], 0));
            }
        }
        q.fairness(new Fairness(weights, 0));
        for (int i = rnd.nextInt(50); i > 0; i--) {
            q.served(TENANTS[rnd.nextInt(tenants)]); // earlier sends, some in a row, some of one tenant only
        }
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> count = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        List<String> head = q.head(Integer.MAX_VALUE, 0);
        head.forEach(id -> waiting.merge(tenantOf(id), 1, Integer::sum));
        for (int n = 1; n <= head.size(); n++) {
            count.merge(tenantOf(head.get(n - 1)), 1, Integer::sum);
            for (int t = 0; t < tenants; t++) {
                String tenant = TENANTS[t];
                int c = count.getOrDefault(tenant, 0);
                if (c == waiting.get(tenant)) {
                    continue; // nothing of it left to wait for
                }
                long bound = Math.floorDiv((long) (n - tenants) * weights.get(tenant), total) - 1;
                assertThat((long) c).as("seed %d: tenant %s (weight %d of %d) after %d entries", seed, tenant,
                        weights.get(tenant), total, n).isGreaterThanOrEqualTo(bound);
            }
        }
    }

    private static String tenantOf(String id) {
        return id.substring(0, id.indexOf(':'));
    }
}
