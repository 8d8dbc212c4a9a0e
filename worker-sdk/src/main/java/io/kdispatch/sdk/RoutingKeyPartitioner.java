package io.kdispatch.sdk;

import io.kdispatch.schemas.RoutingKeys;
import io.kdispatch.schemas.Task;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * Places each task on the intake partition of its routing key (its anti-affinity group, else its
 * affinity key, else its ID: {@link RoutingKeys}), hashed exactly as Kafka's default partitioner
 * hashes a key, so that every task of a key sits on one partition in the order it was produced.
 *
 * <p>{@link SubmitClient} uses it. Other producers of {@link Task} records (a plain {@code KafkaProducer}
 * with the Avro serializer) get the same placement with
 * {@code partitioner.class=io.kdispatch.sdk.RoutingKeyPartitioner}. Values that are not {@code Task}
 * objects (raw bytes) are placed by their record key, as the default partitioner would.
 */
public final class RoutingKeyPartitioner implements Partitioner {
    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionsForTopic(topic).size();
        byte[] hashed = value instanceof Task task
                ? RoutingKeys.of(key == null ? null : key.toString(), task).getBytes(StandardCharsets.UTF_8)
                : keyBytes;
        if (hashed == null) {
            return 0;
        }
        return RoutingKeys.partitionOf(hashed, partitions);
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
