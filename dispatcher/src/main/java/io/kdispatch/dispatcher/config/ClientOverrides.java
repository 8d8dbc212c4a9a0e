package io.kdispatch.dispatcher.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Picks, out of the {@code streams.*} settings, the ones every Kafka client understands: security
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), connection and timeout settings. Kafka
 * Streams applies such settings to all of its own clients; the dispatcher's other clients (the admin
 * client that creates topics, the control-topic producer and reader, the lag monitor) must get them
 * too, or a secured cluster refuses them while Streams itself runs fine.
 */
final class ClientOverrides {
    /** Each client names itself and is pointed at the cluster by the dispatcher. */
    private static final Set<String> OWN = Set.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            CommonClientConfigs.CLIENT_ID_CONFIG);
    private static final Set<String> COMMON = common();

    private ClientOverrides() {
    }

    /** The entries of {@code streamsOverrides} that admin clients, producers and consumers all define. */
    static Map<String, Object> of(Map<String, String> streamsOverrides) {
        Map<String, Object> out = new TreeMap<>();
        streamsOverrides.forEach((key, value) -> {
            if (COMMON.contains(key) && !OWN.contains(key)) {
                out.put(key, value);
            }
        });
        return Map.copyOf(out);
    }

    private static Set<String> common() {
        Set<String> names = new HashSet<>(AdminClientConfig.configNames());
        names.retainAll(ProducerConfig.configNames());
        names.retainAll(ConsumerConfig.configNames());
        return Set.copyOf(names);
    }
}
