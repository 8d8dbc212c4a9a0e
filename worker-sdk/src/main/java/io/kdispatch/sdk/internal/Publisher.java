package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results and heartbeats through the worker's one producer (acks=all, idempotent).
 * Thread-safe: task threads, the heartbeat thread and the poll thread share it. Closing it closes
 * the producer only; the {@link Codecs} belong to the runtime.
 */
final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Producer<String, byte[]> producer;
    private final Codecs codecs;
    private final Topics topics;
    private final String workerId;

    Publisher(Producer<String, byte[]> producer, Codecs codecs, Topics topics, String workerId) {
        this.producer = producer;
        this.codecs = codecs;
        this.topics = topics;
        this.workerId = workerId;
    }

    /** Sends a heartbeat keyed by worker ID; serialization errors are thrown here. */
    Future<RecordMetadata> sendHeartbeat(WorkerHeartbeat heartbeat, Callback callback) {
        String topic = topics.heartbeats();
        RecordHeaders headers = new RecordHeaders();
        byte[] value = codecs.write(topic, headers, heartbeat);
        return producer.send(new ProducerRecord<>(topic, null, workerId, value, headers), callback);
    }

    /** Sends a result without waiting; serialization errors are thrown here. */
    Future<RecordMetadata> sendResult(String routingKey, TaskResult result, Callback callback) {
        String topic = topics.results();
        RecordHeaders headers = new RecordHeaders();
        byte[] value = codecs.write(topic, headers, result);
        return producer.send(new ProducerRecord<>(topic, null, routingKey, value, headers), callback);
    }

    /**
     * Sends a result and waits for the broker's acknowledgement, retrying with backoff (the
     * registry or the cluster may be briefly away) until it is acknowledged or {@code stopped}
     * says to give up. An output too large for the broker turns the result into a FAILED one
     * without output, so the task does not stay unanswered.
     *
     * @return true when acknowledged; false when given up (stopped, interrupted, producer closed)
     */
    boolean publishResult(String routingKey, TaskResult result, BooleanSupplier stopped) {
        TaskResult current = result;
        long backoffMs = 100;
        while (!stopped.getAsBoolean()) {
            try {
                sendResult(routingKey, current, null).get();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                    current = Results.withoutOutput(current, "the result output was too large to publish: "
                            + tooLarge.getMessage());
                    log.warn("worker {}: result of task {} too large, publishing FAILED without output: {}",
                            workerId, current.getTaskId(), tooLarge.getMessage());
                    continue;
                }
                log.warn("worker {}: could not publish the result of task {} (retrying in {} ms): {}",
                        workerId, current.getTaskId(), backoffMs, e.getCause().toString());
            } catch (IllegalStateException e) {
                return false; // the producer was closed by abort()
            } catch (KafkaException e) {
                log.warn("worker {}: could not serialize or send the result of task {} (retrying in {} ms): {}",
                        workerId, current.getTaskId(), backoffMs, e.toString());
            }
            if (!pause(backoffMs)) {
                return false;
            }
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
        return false;
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis); // backoff between publish retries; interrupted by abort()
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes the producer, waiting up to {@code timeout} for records in flight (zero drops them). */
    void close(Duration timeout) {
        producer.close(timeout);
    }
}
