package io.kdispatch.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;

/** Waits for the states of an {@link EmbeddedKafkaCluster}: all nodes in, all replicas in sync. */
final class ClusterReadiness {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long CALL_TIMEOUT_MS = 5_000;

    private ClusterReadiness() {
    }

    /**
     * Blocks until {@code nodes} brokers are in the cluster metadata and a topic with {@code probeReplicas}
     * replicas can be created (and is deleted again).
     *
     * @throws IllegalStateException when that did not happen within {@code timeout}, with the last failure
     */
    static void awaitNodes(String bootstrapServers, int nodes, int probeReplicas, Duration timeout) {
        until(bootstrapServers, timeout, "all " + nodes + " nodes in the cluster", admin -> {
            int seen = get(admin.describeCluster().nodes()).size();
            if (seen < nodes) {
                return nodes + " nodes expected, " + seen + " in the cluster";
            }
            String probe = "kdispatch-cluster-probe-" + UUID.randomUUID();
            get(admin.createTopics(List.of(new NewTopic(probe, 1, (short) probeReplicas))).all());
            get(admin.deleteTopics(List.of(probe)).all());
            return null;
        });
    }

    /** Blocks until every partition of every topic (internal ones included) has all its replicas in sync. */
    static void awaitFullyReplicated(String bootstrapServers, Duration timeout) {
        until(bootstrapServers, timeout, "every replica in sync", admin -> {
            Set<String> topics = get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
            Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
            long behind = described.values().stream().flatMap(d -> d.partitions().stream())
                    .filter(p -> p.isr().size() < p.replicas().size()).count();
            return behind == 0 ? null : behind + " partitions with replicas out of sync";
        });
    }

    /** A check on a fresh admin client: null when satisfied, else what is still missing. */
    private interface Check {
        String missing(Admin admin) throws Exception;
    }

    private static void until(String bootstrapServers, Duration timeout, String what, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not checked yet";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "kdispatch-cluster-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT_MS))) {
            while (System.nanoTime() - deadline < 0) {
                try {
                    last = check.missing(admin);
                    if (last == null) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + what, e);
                } catch (Exception e) {
                    last = e.toString();
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
        throw new IllegalStateException("Kafka cluster at " + bootstrapServers + ": no " + what + " within "
                + timeout.toSeconds() + " s (last: " + last + ")");
    }

    private static <T> T get(KafkaFuture<T> future) throws InterruptedException, ExecutionException,
            TimeoutException {
        return future.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
}
