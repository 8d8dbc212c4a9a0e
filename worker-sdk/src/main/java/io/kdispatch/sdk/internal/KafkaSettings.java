package io.kdispatch.sdk.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka client settings of the SDK. User overrides (security, timeouts, ...) are applied over
 * the defaults, except for the settings the delivery guarantees rest on, which cannot be
 * overridden and are refused with the reason.
 */
public final class KafkaSettings {
    /** Settings a user may not override, with the reason shown when one tries. */
    private static final Map<String, String> FIXED = Map.ofEntries(
            Map.entry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "set it with bootstrapServers(...)"),
            Map.entry(ConsumerConfig.GROUP_ID_CONFIG, "the group is kdispatch-worker-<workerId>, which tools rely on"),
            Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    "offsets are committed only after a task's result is acknowledged"),
            Map.entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "assignments are written in transactions and must be read with read_committed"),
            Map.entry(ProducerConfig.ACKS_CONFIG, "results must be acknowledged by all in-sync replicas (acks=all)"),
            Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "retried results must not be duplicated"),
            Map.entry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the SDK does not write transactionally"),
            Map.entry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "the SDK chooses its serializers"),
            Map.entry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "the SDK chooses its serializers"),
            Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "the SDK chooses its serializers"),
            Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "the SDK chooses its serializers"));

    private KafkaSettings() {
    }

    /**
     * Returns the overrides when none of them touches a fixed setting.
     *
     * @throws IllegalArgumentException naming the setting and why it is fixed
     */
    public static Map<String, Object> validateOverrides(Map<String, Object> overrides) {
        if (overrides == null) {
            throw new IllegalArgumentException("kafkaProperties must not be null (use an empty map)");
        }
        overrides.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException("kafkaProperties must not contain null keys or values, got "
                        + key + "=" + value);
            }
            String reason = FIXED.get(key);
            if (reason != null) {
                throw new IllegalArgumentException("kafkaProperties may not set '" + key + "': " + reason);
            }
        });
        return overrides;
    }

    /** Consumer of the worker topic: manual commits after results, transactional reads. */
    public static Map<String, Object> consumer(String bootstrap, String workerId, int capacity,
                                               Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Small batches: records beyond free capacity wait in memory, counted as "queued".
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, capacity);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(workerId, "assignments"));
        // Static membership: the group is this worker's alone, so a restart with the same ID takes its topic
        // back at once instead of waiting out the killed run's session (45 s by default; the fault loop measured
        // 45-50 s until a restarted worker's tasks moved again). A second live process with the same ID fences
        // the first, which is what one ID per worker means.
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, workerId);
        props.putAll(only(overrides, ConsumerConfig.configNames(), ProducerConfig.configNames()));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(workerId));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    /** Producer of results and heartbeats: acknowledged by all replicas, idempotent. */
    public static Map<String, Object> producer(String bootstrap, String clientId, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.putAll(only(overrides, ProducerConfig.configNames(), ConsumerConfig.configNames()));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    /** Admin client used during start only, with the user's security settings. */
    public static Map<String, Object> admin(String bootstrap, String clientId, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        Set<String> clientOnly = new HashSet<>(ConsumerConfig.configNames());
        clientOnly.addAll(ProducerConfig.configNames());
        props.putAll(only(overrides, AdminClientConfig.configNames(), clientOnly));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    /**
     * The overrides meant for this kind of client: a key only the other kind of client knows is
     * left out (one map serves all clients, and Kafka warns about keys a client does not use);
     * keys no Kafka client knows (plugin settings) are passed on.
     */
    private static Map<String, Object> only(Map<String, Object> overrides, Set<String> mine, Set<String> other) {
        Map<String, Object> result = new HashMap<>();
        overrides.forEach((key, value) -> {
            if (mine.contains(key) || !other.contains(key)) {
                result.put(key, value);
            }
        });
        return result;
    }

    /** The consumer group of a worker's topic. */
    public static String groupId(String workerId) {
        return "kdispatch-worker-" + workerId;
    }

    /** Client IDs name Kafka's own threads, so leak checks can attribute them. */
    public static String clientId(String workerId, String role) {
        return "kdispatch-worker-" + workerId + "-" + role;
    }
}
