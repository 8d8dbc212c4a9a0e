package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.embedded.EmbeddedKafkaCluster;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.SubmitClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault suite's broker kill loop: a cluster of three KRaft nodes (each broker and controller, each in a
 * JVM of its own), every topic with three replicas and {@code min.insync.replicas} 2, the dispatcher's
 * topics created with replication factor 3 through its {@code TopicLayout}. While tasks flow, one node after
 * the other is killed with SIGKILL (a crash: partition leaders, a controller, group and transaction
 * coordinators go with it), the system must complete {@link #PROGRESS} more tasks with that node down, the
 * node is started again on its data directory and the next kill waits until every replica is back in sync,
 * so that one node at most is ever missing. At the end every task must end and {@link TopicAudit} must find
 * nothing lost, nothing dispatched or accepted twice, no key out of order and no label rule broken.
 *
 * <p>Short form in {@code mvn verify}: {@value #DEFAULT_CYCLES} kills, one per node. Long form:
 * {@code mvn -pl dispatcher -am verify -Dit.test=BrokerClusterIT -Dfaults.cycles=30} (prints its figures).
 */
@ExtendWith(EmbeddedRegistryExtension.class)
class BrokerClusterIT {
    static final int DEFAULT_CYCLES = 3;
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);
    private static final Duration CATCH_UP_BOUND = Duration.ofSeconds(120);
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(120);
    private static final long SUBMIT_EVERY_MS = 40;
    private static final Map<String, Map<String, String>> WORKERS = Map.of(
            "w1", Map.of("zone", "a"), "w2", Map.of("zone", "b"), "w3", Map.of("zone", "a"));

    @Test
    void killingOneBrokerAtATimeLosesNothingAndDispatchesNothingTwice(EmbeddedRegistry registry) throws Exception {
        int cycles = Integer.getInteger("faults.cycles", DEFAULT_CYCLES);
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3, Map.of());
             Stack stack = new Stack(cluster.bootstrapServers(), registry.url())) {
            stack.replication = 3;
            FaultMetrics metrics = new FaultMetrics();
            stack.dispatcher(metrics);
            assertReplicatedThreeTimes(cluster, stack);
            OutcomeTracker outcomes = stack.outcomes();
            WORKERS.forEach((id, labels) -> stack.worker(id, 4, labels, BrokerRestartIT.work()));
            SubmitClient submitter = stack.submitter();
            AtomicLong next = new AtomicLong();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            Set<String> ids = ConcurrentHashMap.newKeySet();
            feeder.scheduleAtFixedRate(() -> BrokerRestartIT.submit(submitter, next.getAndIncrement(), ids, failures),
                    0, SUBMIT_EVERY_MS, TimeUnit.MILLISECONDS);
            BrokerRestartIT.awaitProgress(outcomes, Duration.ofSeconds(120));

            List<String> figures = new ArrayList<>();
            for (int cycle = 0; cycle < cycles; cycle++) {
                int node = cycle % cluster.size() + 1;
                long killed = System.nanoTime();
                cluster.kill(node);
                BrokerRestartIT.awaitProgress(outcomes, RECOVERY_BOUND);
                long progressMs = millisSince(killed);
                long restarted = System.nanoTime();
                cluster.start(node);
                long backMs = millisSince(restarted);
                cluster.awaitFullyReplicated(CATCH_UP_BOUND);
                figures.add("node " + node + ": progress " + progressMs + " ms after the kill, back in " + backMs
                        + " ms, in sync " + millisSince(restarted) + " ms after its start");
            }
            BrokerRestartIT.awaitProgress(outcomes, RECOVERY_BOUND);
            Set<String> all = Drain.everyTaskEnds(feeder, submitter, ids, outcomes, DRAIN_BOUND);

            TopicAudit.Report report = TopicAudit.audit(stack, BrokerRestartIT::sequence, WORKERS);
            System.out.printf("broker cluster: 3 nodes, RF 3, min.insync.replicas 2, %d kills (SIGKILL); %s; submit "
                    + "failures %s; re-dispatches %s; workers judged suspect/dead %s; %s%n", cycles, report,
                    failures, metrics.redispatches(), BrokerRestartIT.unhealthy(metrics), figures);
            assertThat(failures).as("submits that failed").isEmpty();
            assertThat(report.submitted()).isEqualTo(all.size());
            assertThat(report.clean()).as(report.toString()).isTrue();
            assertThat(report.deadLettered()).as(report.toString()).isZero();
            assertThat(metrics.redispatches()).as("tasks sent out again after a broker kill").isEmpty();
        } finally {
            feeder.shutdownNow();
        }
    }

    /** The dispatcher created its topics with three replicas. */
    private static void assertReplicatedThreeTimes(EmbeddedKafkaCluster cluster, Stack stack) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(stack.topics.tasks(),
                    stack.topics.results(), stack.topics.heartbeats())).allTopicNames().get(30, TimeUnit.SECONDS);
            topics.values().forEach(t -> assertThat(t.partitions()).as(t.name())
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
