package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.quota.Rate;
import io.kdispatch.dispatcher.quota.Tenancy;
import io.kdispatch.schemas.DecisionOutcome;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrency quotas and rate limits through the real topology on a driven clock: a task over a limit waits
 * with its reason, never fails, and goes when a slot frees or tokens refill; run-time changes apply to the
 * next decision and revoke nothing.
 */
class QuotaTopologyTest {
    private final Map<String, Long> waitingByReason = new ConcurrentHashMap<>();
    private final Map<String, Long> waited = new ConcurrentHashMap<>();
    private final DispatchMetrics metrics = new DispatchMetrics() {
        @Override
        public void waiting(String streamTask, Map<String, Long> byReason) {
            waitingByReason.clear();
            waitingByReason.putAll(byReason);
        }

        @Override
        public void waited(String tenant, long millis) {
            waited.merge(tenant, 1L, Long::sum);
        }
    };
    private DispatcherFixture f;
    private TestOutputTopic<String, TaskAssignment> w1;
    private final Map<String, TaskAssignment> inFlight = new LinkedHashMap<>();
    private int sent;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private void start(QuotaLimits limits, int partitions) {
        f = new DispatcherFixture(metrics, new QuotaSettings(Tenancy.DEFAULTS, limits), partitions);
        f.workers("w1");
        w1 = f.workerTopic("w1");
    }

    private static QuotaLimits tenantLimit(String tenant, int limit) {
        return new QuotaLimits(Map.of(), Map.of(tenant, limit), 0, Map.of(), Map.of(), null);
    }

    private static Task tenantTask(String id, String tenant) {
        return DispatcherFixture.task(id).setHeaders(Map.of("tenant", tenant)).build();
    }

    /** A tick of the dispatcher's clock, the worker still heartbeating (silent, it would be suspect after 2 s). */
    private void tick() {
        f.heartbeat("w1", Map.of());
        f.advance(DispatcherFixture.TICK);
    }

    /** Reads what the dispatcher sent since the last call into the in-flight set. */
    private int collect() {
        List<TaskAssignment> got = DispatcherFixture.drain(w1);
        got.forEach(a -> inFlight.put(a.getTask().getId(), a));
        sent += got.size();
        return got.size();
    }

    private void succeed(String taskId) {
        f.result(inFlight.remove(taskId), ResultStatus.SUCCEEDED);
    }

    private long inFlightOf(String type) {
        return inFlight.values().stream().filter(a -> a.getTask().getType().equals(type)).count();
    }

    @Test
    void aPerTypeLimitIsNeverExceededWhileEveryTaskRuns() {
        start(new QuotaLimits(Map.of("resize", 3), Map.of(), 0, Map.of(), Map.of(), null), 1);
        for (int i = 0; i < 30; i++) {
            f.submit(DispatcherFixture.task("r" + i).setType(i % 3 == 0 ? "echo" : "resize").build());
        }
        Random random = new Random(13);
        for (int round = 0; round < 200 && sent < 30; round++) {
            collect();
            assertThat(inFlightOf("resize")).as("resize in flight, round %d", round).isLessThanOrEqualTo(3);
            if (!inFlight.isEmpty()) {
                List<String> ids = new ArrayList<>(inFlight.keySet());
                succeed(ids.get(random.nextInt(ids.size())));
            }
            if (round % 3 == 0) {
                tick();
            }
        }
        collect();
        assertThat(sent).as("every task went out in the end").isEqualTo(30);
        assertThat(f.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aTenantAtItsLimitParksWithTheReasonAndGoesWhenOneEnds() {
        start(tenantLimit("acme", 2), 1);
        f.submitAll(tenantTask("a1", "acme"), tenantTask("a2", "acme"), tenantTask("a3", "acme"));
        assertThat(collect()).isEqualTo(2);
        RoutingExplanation why = f.explanation("a3");
        assertThat(why.getOutcome()).isEqualTo(DecisionOutcome.PARKED);
        assertThat(why.getReason()).isEqualTo("tenant acme at its limit 2");
        tick();
        assertThat(collect()).as("a tick frees nothing").isZero();
        assertThat(waitingByReason).containsEntry("quota", 1L);
        succeed("a1");
        assertThat(collect()).as("the result freed a slot").isEqualTo(1);
        assertThat(inFlight).containsOnlyKeys("a2", "a3");
        assertThat(f.explanation("a3").getOutcome()).isEqualTo(DecisionOutcome.ASSIGNED);
        tick();
        assertThat(waitingByReason).containsEntry("quota", 0L);
        assertThat(waited).containsEntry("acme", 3L);
    }

    @Test
    void otherTenantsAreNotBlockedByATenantAtItsQuota() {
        start(tenantLimit("acme", 2), 1);
        for (int i = 0; i < 20; i++) {
            f.submit(tenantTask("a" + i, "acme"));
        }
        f.submitAll(tenantTask("b1", "bravo"), DispatcherFixture.task("d1").build());
        collect();
        assertThat(inFlight).containsOnlyKeys("a0", "a1", "b1", "d1");
        tick();
        f.submit(tenantTask("b2", "bravo"));
        assertThat(collect()).isEqualTo(1);
        assertThat(inFlight).containsKey("b2");
        assertThat(f.waiting()).isEqualTo(18);
    }

    @Test
    void aRunTimeChangeRaisesReleasesAndLowersWithoutRevoking() {
        start(tenantLimit("acme", 2), 1);
        for (int i = 0; i < 10; i++) {
            f.submit(tenantTask("a" + i, "acme"));
        }
        assertThat(collect()).isEqualTo(2);
        f.control("quota.tenant.acme", "5");
        tick();
        assertThat(collect()).as("raised to 5: three more go").isEqualTo(3);
        f.control("quota.tenant.acme", "1");
        tick();
        assertThat(collect()).as("lowered: nothing new").isZero();
        assertThat(inFlight).as("nothing revoked").hasSize(5);
        for (String id : List.of("a0", "a1", "a2", "a3")) {
            succeed(id);
            tick();
            assertThat(collect()).as("still at or over the new limit 1 after %s ended", id).isZero();
        }
        succeed("a4");
        tick();
        assertThat(collect()).as("below the limit again: one goes").isEqualTo(1);
        f.control("quota.tenant.acme", null);
        tick();
        assertThat(collect()).as("deleted: back to the configured 2").isEqualTo(1);
        f.control("quota.tenant.acme", "0");
        tick();
        assertThat(collect()).as("0 lifts the limit").isEqualTo(3);
    }

    @Test
    void aBadControlValueIsRejectedAndTheLimitHolds() {
        start(tenantLimit("acme", 2), 1);
        f.control("quota.tenant.acme", "lots");
        f.control("quota.type.echo", "-1");
        f.control("rate.tenant.acme", "0:5");
        for (int i = 0; i < 4; i++) {
            f.submit(tenantTask("a" + i, "acme"));
        }
        assertThat(collect()).isEqualTo(2);
        Map<String, String> invalid = new ControlView(f.driver.getKeyValueStore(StoreNames.CONTROL)).current()
                .invalid();
        assertThat(invalid).containsOnlyKeys("quota.tenant.acme", "quota.type.echo", "rate.tenant.acme");
        assertThat(invalid.get("quota.tenant.acme")).contains("invalid value 'lots'", "expected a whole number");
        assertThat(invalid.get("quota.type.echo")).contains("must be between 0 and 1000000");
        assertThat(invalid.get("rate.tenant.acme")).contains("the rate must be between 0.001 and 100000");
    }

    @Test
    void aRateLimitSendsAtMostTheBurstPlusTheRateTimesTheTime() {
        start(new QuotaLimits(Map.of(), Map.of(), 0, Map.of("echo", new Rate(10, 5)), Map.of(), null), 1);
        for (int i = 0; i < 100; i++) {
            f.submit(DispatcherFixture.task("t" + i).build());
        }
        assertThat(collect()).as("the burst").isEqualTo(5);
        assertThat(f.explanation("t5").getReason()).isEqualTo("task type echo at its rate 10/s (burst 5)");
        for (int ms = 200; ms <= 4_000; ms += 200) {
            tick();
            collect();
            assertThat((double) sent).as("sent after %d ms", ms).isLessThanOrEqualTo(5 + 10 * ms / 1000.0);
        }
        assertThat(sent).as("and the rate is used: 5 + 10/s over 4 s").isGreaterThanOrEqualTo(44);
        assertThat(waitingByReason).containsEntry("rate", 100L - sent);
    }

    @Test
    void onSixPartitionsAStreamTaskEnforcesItsShare() {
        start(tenantLimit("acme", 12), 6);
        for (int i = 0; i < 5; i++) {
            f.submit(tenantTask("a" + i, "acme"));
        }
        assertThat(collect()).as("partition 0's share of 12 over 6").isEqualTo(2);
        assertThat(f.explanation("a2").getReason())
                .isEqualTo("tenant acme at its limit 12 (this stream task's share: 2, 1 of 6)");
    }

    @Test
    void aPerKeyLimitHoldsForEachKey() {
        start(new QuotaLimits(Map.of(), Map.of(), 1, Map.of(), Map.of(), null), 1);
        f.submitAll(DispatcherFixture.task("k1").setAffinityKey("K").build(),
                DispatcherFixture.task("k2").setAffinityKey("K").build(),
                DispatcherFixture.task("j1").setAffinityKey("J").build());
        collect();
        assertThat(inFlight).containsOnlyKeys("k1", "j1");
        assertThat(f.explanation("k2").getReason()).isEqualTo("affinity key K at its limit 1");
        succeed("k1");
        collect();
        assertThat(inFlight).containsOnlyKeys("j1", "k2");
    }
}
