package io.kdispatch.sdk.internal;

import io.kdispatch.sdk.WorkerStartException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, at start, that the cluster is reachable and the shared topics exist, and creates the
 * worker's own topic. Every failure becomes a {@link WorkerStartException} saying what to check.
 */
final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private final WorkerConfig config;
    private final long timeoutMs;

    private TopicSetup(WorkerConfig config) {
        this.config = config;
        this.timeoutMs = config.startTimeout().toMillis();
    }

    /** Runs the checks with a short-lived admin client. */
    static void ensure(WorkerConfig config) {
        new TopicSetup(config).run();
    }

    private void run() {
        Admin admin;
        try {
            admin = Admin.create(KafkaSettings.admin(config.bootstrapServers(),
                    KafkaSettings.clientId(config.workerId(), "admin"), config.kafkaProperties()));
        } catch (KafkaException e) {
            throw fail("cannot connect to Kafka with bootstrapServers '" + config.bootstrapServers() + "'", e);
        }
        try {
            awaitCluster(admin);
            requireTopics(admin, List.of(config.topics().heartbeats(), config.topics().results()));
            createWorkerTopic(admin);
        } finally {
            admin.close(Duration.ZERO); // every call has finished or been given up on
        }
    }

    private void awaitCluster(Admin admin) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                    .nodes().get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw fail("cannot reach the Kafka cluster at '" + config.bootstrapServers() + "' within "
                    + config.startTimeout() + " (check bootstrapServers, that the brokers run, and the security"
                    + " settings in kafkaProperties)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while connecting to Kafka", e);
        }
    }

    private void requireTopics(Admin admin, List<String> names) {
        try {
            admin.describeTopics(names, new DescribeTopicsOptions().timeoutMs((int) timeoutMs))
                    .allTopicNames().get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw fail("the shared topics " + names + " must exist before workers start; create them"
                        + " (the dispatcher's topic setup does) or check the topic prefix '"
                        + config.topics().prefix() + "'", e);
            }
            throw fail("cannot describe the topics " + names, e);
        } catch (TimeoutException e) {
            throw fail("timed out describing the topics " + names, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while describing topics", e);
        }
    }

    private void createWorkerTopic(Admin admin) {
        String topic = config.topics().workerTopic(config.workerId());
        NewTopic newTopic = new NewTopic(topic, Optional.of(config.workerTopicPartitions()), Optional.empty());
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            log.info("worker {}: created topic {} with {} partition(s)", config.workerId(), topic,
                    config.workerTopicPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw fail("cannot create the worker topic " + topic + " (the worker needs CREATE permission"
                        + " on it, or create it beforehand)", e);
            }
        } catch (TimeoutException e) {
            throw fail("timed out creating the worker topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while creating the worker topic", e);
        }
    }

    private WorkerStartException fail(String what, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new WorkerStartException("worker " + config.workerId() + ": " + what + ": " + cause, cause);
    }
}
