package io.kdispatch.dispatcher.lag;

import io.kdispatch.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures lag once per {@link #read()} call, with the Admin client: worker topics are found by listing
 * topics with the worker prefix; committed offsets come from each worker's group
 * ({@code kdispatch-worker-<id>}) and from the dispatcher's Streams group on the intake topic; end offsets
 * are the last stable offsets ({@code read_committed}, as workers and the dispatcher read).
 *
 * <p>Not thread-safe: one thread calls {@link #read()} (the {@link LagMonitor}'s, or the CLI's).
 * {@link #close()} releases both clients and is idempotent.
 */
public final class LagReader implements AutoCloseable {
    /** The consumer group of a worker, as the worker SDK names it. */
    public static String workerGroup(String workerId) {
        return "kdispatch-worker-" + workerId;
    }

    private final Topics topics;
    private final String intakeGroup;
    private final Duration timeout;
    private final Admin admin;
    private final OldestRecords oldest;
    private volatile boolean closed;

    /**
     * @param bootstrapServers the cluster
     * @param topics topic names (the worker prefix and the intake topic)
     * @param intakeGroup the dispatcher's Kafka Streams application ID
     * @param clientProperties extra client settings (security etc.); unknown keys are ignored
     */
    public LagReader(String bootstrapServers, Topics topics, String intakeGroup, LagSettings settings,
                     Map<String, ?> clientProperties, Clock clock) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.intakeGroup = Objects.requireNonNull(intakeGroup, "intakeGroup");
        this.timeout = settings.requestTimeout();
        Map<String, Object> props = new HashMap<>();
        clientProperties.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kdispatch-lag-admin");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.admin = Admin.create(props);
        this.oldest = new OldestRecords(props, settings.oldestAgeTimeout(), clock);
    }

    /**
     * Measures now.
     *
     * @throws LagUnavailableException when the cluster does not answer within the request timeout
     */
    public LagSnapshot read() {
        Set<String> names = await(admin.listTopics().names());
        List<String> workerTopics = names.stream().filter(n -> n.startsWith(topics.workerTopicPrefix()))
                .sorted().toList();
        List<String> wanted = new ArrayList<>(workerTopics);
        if (names.contains(topics.tasks())) {
            wanted.add(topics.tasks());
        }
        Map<String, List<TopicPartition>> partitions = partitions(wanted);
        Map<String, String> groupOfTopic = new HashMap<>();
        workerTopics.forEach(t -> groupOfTopic.put(t, workerGroup(workerId(t))));
        if (partitions.containsKey(topics.tasks())) {
            groupOfTopic.put(topics.tasks(), intakeGroup);
        }
        Map<TopicPartition, Long> committed = committed(groupOfTopic, partitions);
        List<TopicPartition> all = partitions.values().stream().flatMap(List::stream).toList();
        Map<TopicPartition, Long> ends = offsets(all, OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets(all, OffsetSpec.earliest());
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition tp : all) {
            long from = committed.getOrDefault(tp, -1L) >= 0 ? committed.get(tp) : starts.get(tp);
            if (ends.get(tp) > from) {
                next.put(tp, from);
            }
        }
        Map<TopicPartition, Long> ages = oldest.agesMs(next);
        Map<String, GroupLag> workers = new HashMap<>();
        for (String topic : workerTopics) {
            workers.put(workerId(topic), group(workerId(topic), groupOfTopic.get(topic), topic,
                    partitions.get(topic), committed, starts, ends, ages));
        }
        GroupLag intake = group("intake", intakeGroup, topics.tasks(),
                partitions.getOrDefault(topics.tasks(), List.of()), committed, starts, ends, ages);
        return new LagSnapshot(oldest.now(), intake, workers);
    }

    private static GroupLag group(String name, String group, String topic, List<TopicPartition> tps,
                                  Map<TopicPartition, Long> committed, Map<TopicPartition, Long> starts,
                                  Map<TopicPartition, Long> ends, Map<TopicPartition, Long> ages) {
        List<PartitionLag> rows = new ArrayList<>();
        for (TopicPartition tp : tps) {
            long c = committed.getOrDefault(tp, -1L);
            long from = c >= 0 ? c : starts.get(tp);
            long lag = Math.max(0, ends.get(tp) - from);
            rows.add(new PartitionLag(topic, tp.partition(), c, starts.get(tp), ends.get(tp), lag,
                    lag == 0 ? 0 : ages.getOrDefault(tp, 0L)));
        }
        return new GroupLag(name, group, topic, rows);
    }

    private String workerId(String workerTopic) {
        return workerTopic.substring(topics.workerTopicPrefix().length());
    }

    private Map<String, List<TopicPartition>> partitions(Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> descriptions = await(admin.describeTopics(names).allTopicNames());
        Map<String, List<TopicPartition>> out = new HashMap<>();
        descriptions.forEach((name, d) -> out.put(name, d.partitions().stream()
                .map(p -> new TopicPartition(name, p.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList()));
        return out;
    }

    private Map<TopicPartition, Long> committed(Map<String, String> groupOfTopic,
                                                Map<String, List<TopicPartition>> partitions) {
        if (groupOfTopic.isEmpty()) {
            return Map.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groupOfTopic.forEach((topic, group) -> specs.put(group,
                new ListConsumerGroupOffsetsSpec().topicPartitions(partitions.get(topic))));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup =
                await(admin.listConsumerGroupOffsets(specs).all());
        Map<TopicPartition, Long> out = new HashMap<>();
        byGroup.values().forEach(offsets -> offsets.forEach((tp, om) -> {
            if (om != null) {
                out.put(tp, om.offset());
            }
        }));
        return out;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> tps, OffsetSpec spec) {
        if (tps.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResultInfo> infos = await(admin.listOffsets(
                tps.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
        return infos.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LagUnavailableException("interrupted while measuring lag", e);
        } catch (ExecutionException e) {
            throw new LagUnavailableException("cannot measure lag: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new LagUnavailableException("cannot measure lag: no answer from the cluster within "
                    + timeout.toMillis() + " ms", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        oldest.close();
        admin.close(Duration.ofSeconds(5));
    }
}
