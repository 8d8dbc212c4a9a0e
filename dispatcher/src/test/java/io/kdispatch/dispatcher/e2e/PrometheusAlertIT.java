package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.ops.ExternalTool;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.Worker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Prometheus scrapes a real dispatcher's {@code /metrics} and evaluates the project's alert rules
 * (with a short {@code for:}). {@code KdispatchNoLiveWorkers} is the alert driven here because the test
 * controls its input exactly: it fires with no worker, resolves once a worker is {@code READY}, and fires
 * again when that worker leaves. Skipped, with the reason, where the {@code prometheus} binary is missing.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class PrometheusAlertIT {
    private static final String JOB = "kdispatch-dispatcher";
    private static final String ALERT = "KdispatchNoLiveWorkers";
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration ALERT_FOR = Duration.ofSeconds(2);
    private Path prometheus;

    @BeforeEach
    void needsPrometheus() {
        // Before the test method, whose parameters start the broker and the registry: a machine without
        // Prometheus skips without starting them, and the report shows the skipped test with this reason
        // (an aborted @BeforeAll would hide the test from the report instead).
        prometheus = ExternalTool.require("prometheus");
    }

    @Test
    void aRealPrometheusScrapesTheDispatcherAndEvaluatesAnAlert(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.partitions = 1;
            DispatcherService service = stack.service();
            long started = System.nanoTime();
            PrometheusServer server = stack.track(PrometheusServer.start(prometheus, target(service),
                    INTERVAL, ALERT_FOR));
            long ready = System.nanoTime();

            eventually().untilAsserted(() -> assertThat(server.targetHealth(JOB)).containsExactly("up"));
            long scraped = System.nanoTime();
            // Before any heartbeat the dispatcher exports no liveness series: the rule's "or vector(0)" fires.
            eventually().untilAsserted(() -> assertThat(server.alertState(ALERT)).isEqualTo("firing"));
            eventually().untilAsserted(() -> assertThat(server.alertState("KdispatchDispatcherDown"))
                    .isEqualTo("inactive"));
            long firedEmpty = System.nanoTime();

            Worker worker = stack.worker("prom-w1", 1, ctx -> ctx.payload());
            eventually().untilAsserted(() -> {
                assertThat(server.query(liveness("prom-w1", "READY"))).containsExactly(1.0);
                assertThat(server.alertState(ALERT)).isEqualTo("inactive");
            });
            long resolved = System.nanoTime();

            worker.close();
            // Fires again from the scraped series this time: the worker is known and its READY gauge is 0.
            eventually().untilAsserted(() -> {
                assertThat(server.query(liveness("prom-w1", "READY"))).containsExactly(0.0);
                assertThat(server.alertState(ALERT)).isEqualTo("firing");
            });
            long firedAgain = System.nanoTime();
            System.out.printf("prometheus ready %d ms, target up %d ms, %s firing (no worker) %d ms, "
                    + "resolved (worker READY) %d ms, firing (worker left) %d ms%n", ms(started, ready),
                    ms(ready, scraped), ALERT, ms(scraped, firedEmpty), ms(firedEmpty, resolved),
                    ms(resolved, firedAgain));
        }
    }

    /** Scrape, evaluation and {@code for:} take a few seconds; 30 s leaves room for a slow shared machine. */
    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250));
    }

    private static String target(DispatcherService service) {
        URI admin = URI.create(service.adminUrl());
        return admin.getHost() + ":" + admin.getPort();
    }

    private static String liveness(String worker, String state) {
        return "kdispatch_worker_liveness{job=\"" + JOB + "\",worker=\"" + worker + "\",state=\"" + state + "\"}";
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
