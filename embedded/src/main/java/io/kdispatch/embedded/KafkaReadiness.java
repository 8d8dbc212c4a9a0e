package io.kdispatch.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;

/**
 * Proves that a broker accepts writes: it is in the cluster metadata and its controller creates
 * and deletes a topic.
 */
final class KafkaReadiness {

    private KafkaReadiness() {
    }

    /**
     * Blocks until the broker at {@code bootstrapServers} is ready or {@code timeout} has passed.
     *
     * @param clientProperties how to authenticate (as a super user: the probe creates a topic); empty
     *                         for a broker without security
     * @throws IllegalStateException if the broker is not ready in time
     */
    static void await(String bootstrapServers, Duration timeout, Map<String, Object> clientProperties) {
        long timeoutMs = timeout.toMillis();
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kdispatch-embedded-readiness");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(config)) {
            Collection<Node> nodes = get(admin.describeCluster().nodes(), timeoutMs, "describe the cluster");
            if (nodes.isEmpty()) {
                throw new IllegalStateException("Kafka at " + bootstrapServers + " reports no live broker");
            }
            String probe = "kdispatch-readiness-probe-" + UUID.randomUUID();
            get(admin.createTopics(List.of(new NewTopic(probe, 1, (short) 1))).all(), timeoutMs,
                    "create probe topic " + probe);
            get(admin.deleteTopics(List.of(probe)).all(), timeoutMs, "delete probe topic " + probe);
        }
    }

    private static <T> T get(KafkaFuture<T> future, long timeoutMs, String action) {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to " + action, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka could not " + action + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not " + action + " within " + timeoutMs + " ms", e);
        }
    }
}
