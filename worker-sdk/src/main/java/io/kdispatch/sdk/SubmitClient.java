package io.kdispatch.sdk;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskRules;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.schemas.serde.RegistryWait;
import io.kdispatch.schemas.startup.ClusterWaits;
import io.kdispatch.schemas.startup.StartupException;
import io.kdispatch.schemas.startup.StartupWait;
import io.kdispatch.sdk.internal.KafkaSettings;
import io.kdispatch.sdk.internal.StartupAdmin;
import io.kdispatch.sdk.internal.TaskTracing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits tasks to the intake topic ({@code <prefix>.tasks}), keyed by task ID, with an idempotent
 * producer acknowledged by all in-sync replicas. Each task goes to the partition of its routing key
 * ({@link RoutingKeyPartitioner}), so the tasks of one affinity key or anti-affinity group reach the
 * dispatcher in the order this client submitted them.
 *
 * <p>{@link Builder#build()} waits, up to {@link Builder#startWaitTimeout}, until the cluster answers,
 * the intake topic exists (the dispatcher creates it) and the schema registry answers, so a client
 * may start before any of them.
 *
 * <p>Thread-safe. {@link #close()} flushes what was submitted and is idempotent.
 */
public final class SubmitClient implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Numbers client IDs: Kafka registers one MBean per client ID and warns about duplicates. */
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final Producer<String, Task> producer;
    private final Serde<Task> serde;
    private final String topic;
    private final Clock clock;
    private final TaskTracing tracing;

    private SubmitClient(Builder builder) {
        this.topic = builder.topics.tasks();
        this.clock = builder.clock;
        // getOrNoop(), not get(): see Worker.Builder#build (a later GlobalOpenTelemetry.set must still work).
        this.tracing = new TaskTracing(builder.openTelemetry == null ? GlobalOpenTelemetry.getOrNoop()
                : builder.openTelemetry);
        this.serde = AvroSerdes.serde(Task.class, builder.serdeConfig);
        try {
            Map<String, Object> props = KafkaSettings.producer(builder.bootstrapServers,
                    "kdispatch-submit-" + builder.topics.prefix() + "-" + CLIENTS.incrementAndGet(), builder.kafkaProperties);
            // A key's tasks on one partition, in submission order (and already where the dispatcher routes them).
            props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, RoutingKeyPartitioner.class);
            this.producer = new KafkaProducer<>(props, new StringSerializer(), serde.serializer());
        } catch (RuntimeException e) {
            serde.close();
            throw e;
        }
    }

    /** A builder; {@code bootstrapServers} and {@code serdeConfig} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates the task, sets {@code submittedAt} to now when it is unset, and sends it. When tracing
     * ({@link Builder#openTelemetry}), the send is a {@code submit} span and the task sent carries its W3C
     * context in its {@code headers} (the caller's task is left alone).
     *
     * @return completes when the broker acknowledged the task, or exceptionally with the reason
     * @throws IllegalArgumentException when the task breaks one of {@link TaskRules} (empty ID or type, an ID
     *     over 512 characters, maxAttempts outside 1..100, more than 64 label rules, ...), with the rule's
     *     message, which is also what the dispatcher would dead-letter it with; nothing is sent then
     */
    public CompletableFuture<RecordMetadata> submit(Task task) {
        TaskRules.requireValid(task);
        Task stamped = task.getSubmittedAt() != null ? task
                : Task.newBuilder(task).setSubmittedAt(clock.instant()).build();
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        Span span = tracing.startSubmit(stamped, topic);
        Task sent = TaskTracing.carrying(stamped, span);
        try {
            producer.send(new ProducerRecord<>(topic, sent.getId(), sent), (metadata, error) -> {
                TaskTracing.endSubmit(span, error);
                if (error == null) {
                    result.complete(metadata);
                } else {
                    result.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) { // serialization (registry) or a closed client
            TaskTracing.endSubmit(span, e);
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Blocks until every task submitted so far was acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Flushes and closes (waiting up to 30 s). Idempotent. */
    @Override
    public void close() {
        try {
            producer.close(CLOSE_TIMEOUT);
        } finally {
            serde.close();
        }
    }

    /** Settings of a {@link SubmitClient}. */
    public static final class Builder {
        private String bootstrapServers;
        private SerdeConfig serdeConfig;
        private Topics topics = Topics.defaults();
        private final Map<String, Object> kafkaProperties = new HashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration startWaitTimeout = StartupWait.DEFAULT_LIMIT;
        private OpenTelemetry openTelemetry;

        private Builder() {
        }

        /** Required. The Kafka cluster, as {@code host:port[,host:port...]}. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** Required. The schema registry settings shared with the dispatcher. */
        public Builder serdeConfig(SerdeConfig serdeConfig) {
            this.serdeConfig = serdeConfig;
            return this;
        }

        /** Topic names; default {@link Topics#defaults()}. */
        public Builder topics(Topics topics) {
            this.topics = topics;
            return this;
        }

        /**
         * Producer settings (security, timeouts, ...); default none. {@code acks}, idempotence and
         * the serializers are fixed and refused here.
         */
        public Builder kafkaProperties(Map<String, Object> kafkaProperties) {
            this.kafkaProperties.clear();
            if (kafkaProperties != null) {
                this.kafkaProperties.putAll(kafkaProperties);
            }
            return this;
        }

        /** Clock for {@code submittedAt}; default the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Traces each submission with this OpenTelemetry; default {@link GlobalOpenTelemetry#getOrNoop()} as it
         * is when {@link #build()} runs (the Java agent's or an SDK registered before; else no-op). Each
         * {@link SubmitClient#submit} is a {@code submit} span (kind PRODUCER; attributes {@code kdispatch.task.id},
         * {@code kdispatch.task.type}, {@code messaging.destination.name}), child of the caller's current span,
         * else of the trace context the task already carries; it ends when the broker answers. Its W3C
         * context ({@code traceparent}, {@code tracestate}) goes into the sent task's {@code headers}, which
         * the dispatcher and the worker continue. With no SDK, nothing is recorded and the headers are not
         * touched.
         *
         * @param openTelemetry the instance, or {@code null} for the default
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
            return this;
        }

        /**
         * How long {@link #build()} keeps waiting, in total, while the cluster does not answer, the
         * intake topic does not exist yet or the schema registry does not answer; default 5 min. It
         * retries with backoff (100 ms doubling to 5 s) and logs once what it waits for.
         * {@link Duration#ZERO} fails at once with the reason; interrupting the building thread ends
         * the wait.
         */
        public Builder startWaitTimeout(Duration startWaitTimeout) {
            this.startWaitTimeout = startWaitTimeout;
            return this;
        }

        /**
         * A connected client, once the cluster, the intake topic and the registry are there.
         *
         * @throws IllegalArgumentException naming the setting that is missing or invalid
         * @throws StartupException when they are not there within {@link #startWaitTimeout}, or the
         *     wait was interrupted; the message says what is missing and what to check
         */
        public SubmitClient build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException(
                        "bootstrapServers is required: call bootstrapServers(\"host:9092\") on the builder");
            }
            if (serdeConfig == null) {
                throw new IllegalArgumentException(
                        "serdeConfig is required: call serdeConfig(SerdeConfig.of(registryUrl)) on the builder");
            }
            if (topics == null || clock == null) {
                throw new IllegalArgumentException("topics and clock must not be null");
            }
            KafkaSettings.validateOverrides(kafkaProperties);
            StartupWait.requireLimit(startWaitTimeout);
            awaitIntake(new StartupWait("submit client for " + topics.tasks(), startWaitTimeout));
            return new SubmitClient(this);
        }

        private void awaitIntake(StartupWait wait) {
            String clientId = "kdispatch-submit-" + topics.prefix() + "-admin-" + CLIENTS.incrementAndGet();
            try (Admin admin = StartupAdmin.open(bootstrapServers, clientId, kafkaProperties, wait)) {
                StartupAdmin.awaitCluster(admin, bootstrapServers, StartupWait.DEFAULT_ATTEMPT_TIMEOUT, wait);
                ClusterWaits.topics(wait, admin, List.of(topics.tasks()), "the intake topic " + topics.tasks()
                        + " must exist before tasks are submitted; the dispatcher creates it on start (or run the"
                        + " topics command), or check the topic prefix '" + topics.prefix() + "'",
                        StartupWait.DEFAULT_ATTEMPT_TIMEOUT);
            }
            RegistryWait.await(serdeConfig, wait);
        }
    }
}
