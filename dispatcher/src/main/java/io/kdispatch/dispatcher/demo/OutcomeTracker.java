package io.kdispatch.dispatcher.demo;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the results and dead-letter topics (read_committed) and tells, per task, how it ended:
 * completed (first successful result), dead-lettered, or not yet. Used by {@code demo} for its progress
 * and summary, and by end-to-end tests to prove that nothing is lost.
 *
 * <p>Runs one consumer on its own thread, named {@code kdispatch-outcomes}; {@link #close()} stops it.
 */
public final class OutcomeTracker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutcomeTracker.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final Deserializer<TaskResult> results;
    private final Deserializer<DeadLetter> deadLetters;
    private final Thread thread;
    private final Map<String, String> completedBy = new ConcurrentHashMap<>();
    private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> perWorker = new ConcurrentHashMap<>();
    private final AtomicLong duplicateResults = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private volatile boolean closed;

    public OutcomeTracker(String bootstrapServers, SerdeConfig serdes, Topics topics) {
        this(bootstrapServers, serdes, topics, Map.of());
    }

    /** @param clientProperties extra consumer settings (security.protocol, sasl.*, ...) */
    public OutcomeTracker(String bootstrapServers, SerdeConfig serdes, Topics topics,
                          Map<String, Object> clientProperties) {
        this.topics = topics;
        this.results = AvroSerdes.serde(TaskResult.class, serdes).deserializer();
        this.deadLetters = AvroSerdes.serde(DeadLetter.class, serdes).deserializer();
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "kdispatch-outcomes-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.results(), topics.deadLetters()));
        this.thread = new Thread(this::run, "kdispatch-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    accept(r);
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.results())) {
                onResult(results.deserialize(r.topic(), r.value()));
            } else if (r.value() != null) {
                DeadLetter d = deadLetters.deserialize(r.topic(), r.value());
                if (d.getTaskId() != null) {
                    deadLettered.add(d.getTaskId());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private void onResult(SpecificRecord record) {
        TaskResult result = (TaskResult) record;
        if (result.getStatus() == ResultStatus.SUCCEEDED) {
            if (completedBy.putIfAbsent(result.getTaskId(), result.getWorkerId()) == null) {
                perWorker.computeIfAbsent(result.getWorkerId(), w -> new AtomicLong()).incrementAndGet();
            } else {
                duplicateResults.incrementAndGet();
            }
        } else if (result.getStatus() == ResultStatus.FAILED) {
            failedAttempts.incrementAndGet();
        }
    }

    /** Tasks with a successful result, and the worker of the first one. */
    public Map<String, String> completedBy() {
        return Map.copyOf(completedBy);
    }

    public int completed() {
        return completedBy.size();
    }

    public Set<String> deadLettered() {
        return Set.copyOf(deadLettered);
    }

    /** Successful results beyond the first for the same task (e.g. after a lease expired). */
    public long duplicateResults() {
        return duplicateResults.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Completed tasks per worker, sorted by worker ID. */
    public Map<String, Long> perWorker() {
        Map<String, Long> m = new TreeMap<>();
        perWorker.forEach((w, n) -> m.put(w, n.get()));
        return m;
    }

    /** True when every task in {@code submitted} has ended (completed or dead-lettered). */
    public boolean allEnded(Set<String> submitted) {
        return submitted.stream().allMatch(id -> completedBy.containsKey(id) || deadLettered.contains(id));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
