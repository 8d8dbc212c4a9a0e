package io.kdispatch.dispatcher.app;

import io.kdispatch.schemas.startup.StartupWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits until every broker serves the partitions of the topics behind the global stores. A Streams global
 * store asks one broker for its topic's partitions once and dies for good on "no partitions available";
 * right after the topics are created, a broker whose metadata cache lags answers exactly that (seen in CI
 * with three brokers, where the admin client had asked another one). Each broker is asked through a
 * consumer bootstrapped at it alone, whose first metadata request goes to that broker.
 */
final class GlobalTopicsWait {
    private GlobalTopicsWait() {
    }

    static void await(StartupWait wait, Admin admin, Map<String, Object> clientOverrides, List<String> topics) {
        wait.until("every broker to serve the topics " + topics, StartupWait.DEFAULT_ATTEMPT_TIMEOUT, timeout -> {
            Collection<Node> nodes;
            try {
                nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return StartupWait.Outcome.notReady("the cluster's brokers are not known yet: " + e, e);
            }
            List<String> missing = new ArrayList<>();
            for (Node node : nodes) {
                missing.addAll(missingOn(node, clientOverrides, topics, timeout));
            }
            return missing.isEmpty() ? StartupWait.Outcome.ready(null)
                    : StartupWait.Outcome.notReady("not yet served: " + missing, null);
        });
    }

    private static List<String> missingOn(Node node, Map<String, Object> overrides, List<String> topics,
                                          Duration timeout) {
        Map<String, Object> props = new HashMap<>(overrides);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.host() + ":" + node.port());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<String> missing = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (String topic : topics) {
                try {
                    if (consumer.partitionsFor(topic, timeout).isEmpty()) {
                        missing.add(topic + " on broker " + node.id());
                    }
                } catch (KafkaException e) { // a timeout, a broker going away: ask again
                    missing.add(topic + " on broker " + node.id() + " (" + e.getMessage() + ")");
                }
            }
        }
        return missing;
    }
}
