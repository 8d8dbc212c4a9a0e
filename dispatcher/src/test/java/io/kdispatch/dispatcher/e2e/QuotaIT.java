package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.quota.QuotaShare;
import io.kdispatch.dispatcher.quota.Tenancy;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.ExecutionEvent;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Quotas hold with two dispatcher instances sharing the six partitions: a per-type limit of 6 and a tenant
 * limit of 12 (both at least the partition count, so the partitions' shares add up to exactly the limit) are
 * never exceeded by the tasks the workers run at once, while 24 worker slots would allow more; every task
 * still runs, once. What runs on a worker is a subset of what the dispatcher counts in flight (assigned, no
 * result read yet), so the workers' view can only be below the dispatcher's; the bound checked is the stated
 * one, {@code max(limit, partitions)}. That other tenants are not held back by a tenant at its quota is shown,
 * deterministically, by QuotaTopologyTest; here bravo's peak is printed for the record.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class QuotaIT {
    private static final int TYPE_LIMIT = 6;
    private static final int TENANT_LIMIT = 12;
    private static final int EACH = 40;

    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
    private final AtomicInteger quotaParks = new AtomicInteger();

    @Test
    void aTypeLimitAndATenantLimitHoldAcrossTwoInstances(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        DispatchMetrics metrics = new DispatchMetrics() {
            @Override
            public void parked(String reason) {
                if (reason.contains("at its limit")) {
                    quotaParks.incrementAndGet();
                }
            }
        };
        TaskHandler handler = ctx -> {
            String type = "type:" + ctx.task().getType();
            String tenant = "tenant:" + ctx.task().getHeaders().getOrDefault("tenant", "default");
            enter(type);
            enter(tenant);
            try {
                SimulatedWork.take(60);
            } finally {
                running.get(type).decrementAndGet();
                running.get(tenant).decrementAndGet();
            }
            return ctx.payload();
        };
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.quotas = new QuotaSettings(Tenancy.DEFAULTS, new QuotaLimits(Map.of("render", TYPE_LIMIT),
                    Map.of("acme", TENANT_LIMIT), 0, Map.of(), Map.of(), null));
            stack.dispatcher(metrics);
            stack.dispatcher(metrics);
            for (int w = 1; w <= 3; w++) {
                stack.worker("w" + w, 8, handler);
            }
            OutcomeTracker outcomes = stack.outcomes();
            Set<String> ids = submit(stack.submitter());
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
                    .until(() -> outcomes.allEnded(ids));

            assertThat(outcomes.completed()).isEqualTo(ids.size());
            assertThat(stack.executions.count(ResultStatus.SUCCEEDED)).as("each task ran once").isEqualTo(ids.size());
            assertThat(stack.executions.events().stream().map(ExecutionEvent::taskId).distinct().count())
                    .isEqualTo(ids.size());
            int partitions = stack.partitions;
            System.out.printf("QuotaIT: peak running render %d (limit %d), acme %d (limit %d), bravo %d; %d parks at a "
                    + "limit%n", peak.get("type:render").get(), TYPE_LIMIT, peak.get("tenant:acme").get(), TENANT_LIMIT,
                    peak.get("tenant:bravo").get(), quotaParks.get());
            assertThat(peak.get("type:render").get()).as("render tasks running at once, limit %d", TYPE_LIMIT)
                    .isLessThanOrEqualTo(QuotaShare.bound(TYPE_LIMIT, partitions));
            assertThat(peak.get("tenant:acme").get()).as("acme tasks running at once, limit %d", TENANT_LIMIT)
                    .isLessThanOrEqualTo(QuotaShare.bound(TENANT_LIMIT, partitions));
            assertThat(quotaParks.get()).as("tasks parked at a limit (the quotas did bite)").isPositive();
        }
    }

    private void enter(String name) {
        int now = running.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        peak.computeIfAbsent(name, n -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    }

    /** 40 render tasks (acme and bravo alternately), 40 echo tasks of acme, 40 echo tasks of bravo. */
    private static Set<String> submit(SubmitClient client) throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < EACH; i++) {
            ids.add(send(client, "r-" + i, "render", i % 2 == 0 ? "acme" : "bravo"));
            ids.add(send(client, "a-" + i, "echo", "acme"));
            ids.add(send(client, "b-" + i, "echo", "bravo"));
        }
        client.flush();
        return ids;
    }

    private static String send(SubmitClient client, String id, String type, String tenant) throws Exception {
        client.submit(Task.newBuilder().setId(id).setType(type).setHeaders(Map.of("tenant", tenant))
                .setPayload(ByteBuffer.wrap(new byte[] {1})).build());
        return id;
    }
}
