package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerIds;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.WorkerListener;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A worker's validated settings. Built by {@link io.kdispatch.sdk.Worker.Builder}, which documents
 * each default; every rule is checked here, once, with a message that says what to change.
 */
public record WorkerConfig(
        String workerId,
        String bootstrapServers,
        SerdeConfig serdeConfig,
        Topics topics,
        Map<String, String> labels,
        int capacity,
        int maxQueued,
        double weight,
        Duration heartbeatInterval,
        Duration shutdownTimeout,
        Duration startTimeout,
        Duration startWaitTimeout,
        int workerTopicPartitions,
        TaskHandler handler,
        WorkerListener listener,
        Map<String, Object> kafkaProperties,
        Clock clock,
        WorkerMetrics.Factory metrics,
        Duration maxTaskDuration,
        OpenTelemetry openTelemetry) {

    /** Upper bound of {@link #capacity()}: each slot is a thread. */
    public static final int MAX_CAPACITY = 10_000;
    /** Upper bound of {@link #workerTopicPartitions()}. */
    public static final int MAX_PARTITIONS = 1_000;
    /**
     * Default {@link #maxQueued()}: room for the dispatcher's credit to keep short tasks waiting next
     * to the slots (about capacity x round trip / service time) for fleets of a few dozen slots per
     * worker; the credit of long tasks stays near the capacity and leaves it unused.
     */
    public static final int DEFAULT_MAX_QUEUED = 1_000;
    /** Upper bound of {@link #maxQueued()}: waiting assignments are held in memory. */
    public static final int MAX_QUEUED = 100_000;

    public WorkerConfig {
        if (workerId == null) {
            throw new IllegalArgumentException("workerId is required: call workerId(\"...\") on the builder");
        }
        WorkerIds.requireValid(workerId);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "bootstrapServers is required: call bootstrapServers(\"host:9092\") on the builder");
        }
        if (serdeConfig == null) {
            throw new IllegalArgumentException("serdeConfig is required: call serdeConfig(SerdeConfig.of(registryUrl))"
                    + " on the builder (mock://<scope> in tests)");
        }
        if (handler == null) {
            throw new IllegalArgumentException(
                    "handler is required: call handler(ctx -> ...) with the code that runs a task");
        }
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        labels = Map.copyOf(Labels.validate(labels));
        requireBetween("capacity", capacity, 1, MAX_CAPACITY, " (tasks run at once)");
        requireBetween("maxQueued", maxQueued, 0, MAX_QUEUED,
                " (assignments held beyond the capacity before new ones are rejected)");
        requireBetween("workerTopicPartitions", workerTopicPartitions, 1, MAX_PARTITIONS, "");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be a positive finite number, was " + weight);
        }
        requirePositive("heartbeatInterval", heartbeatInterval);
        if (heartbeatInterval.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("heartbeatInterval must be at most " + Integer.MAX_VALUE
                    + " ms, was " + heartbeatInterval);
        }
        requirePositive("shutdownTimeout", shutdownTimeout);
        requirePositive("startTimeout", startTimeout);
        if (startWaitTimeout == null || startWaitTimeout.isNegative()) {
            throw new IllegalArgumentException("startWaitTimeout must be zero (fail at once) or a positive duration, was "
                    + startWaitTimeout);
        }
        requirePositive("maxTaskDuration", maxTaskDuration);
        kafkaProperties = Map.copyOf(KafkaSettings.validateOverrides(kafkaProperties));
    }

    private static void requireBetween(String name, int value, int min, int max, String meaning) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + meaning + " must be between " + min + " and " + max
                    + ", was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
