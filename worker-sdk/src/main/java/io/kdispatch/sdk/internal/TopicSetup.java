package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.startup.ClusterWaits;
import io.kdispatch.schemas.startup.StartupWait;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start: waits until the cluster answers and the shared topics exist (the dispatcher creates
 * them, and may start after the worker), then creates the worker's own topic. Each step is a
 * {@link StartupWait} step; failures waiting cannot cure fail at once, saying what to check.
 */
final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private final WorkerConfig config;
    private final StartupWait wait;

    private TopicSetup(WorkerConfig config, StartupWait wait) {
        this.config = config;
        this.wait = wait;
    }

    /**
     * Runs the steps with a short-lived admin client.
     *
     * @throws io.kdispatch.schemas.startup.StartupException when a step fails, the wait limit is
     *     reached, or the wait is stopped
     */
    static void ensure(WorkerConfig config, StartupWait wait) {
        new TopicSetup(config, wait).run();
    }

    private void run() {
        Admin admin = StartupAdmin.open(config.bootstrapServers(), KafkaSettings.clientId(config.workerId(), "admin"),
                config.kafkaProperties(), wait);
        try {
            StartupAdmin.awaitCluster(admin, config.bootstrapServers(), config.startTimeout(), wait);
            List<String> shared = List.of(config.topics().heartbeats(), config.topics().results());
            ClusterWaits.topics(wait, admin, shared, "the shared topics " + shared + " must exist before workers"
                    + " start; create them (the dispatcher's topic setup does) or check the topic prefix '"
                    + config.topics().prefix() + "'", config.startTimeout());
            String topic = config.topics().workerTopic(config.workerId());
            wait.until("the worker topic " + topic, config.startTimeout(), timeout -> createWorkerTopic(admin, topic,
                    timeout));
        } finally {
            admin.close(Duration.ZERO); // every call has finished or been given up on
        }
    }

    private StartupWait.Outcome<Void> createWorkerTopic(Admin admin, String topic, Duration timeout)
            throws InterruptedException {
        NewTopic newTopic = new NewTopic(topic, Optional.of(config.workerTopicPartitions()), Optional.empty());
        String reason = "cannot create the worker topic " + topic + " (the worker needs CREATE permission on it,"
                + " or create it beforehand)";
        try {
            admin.createTopics(List.of(newTopic), new CreateTopicsOptions().timeoutMs(ClusterWaits.millis(timeout)))
                    .all().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            log.info("worker {}: created topic {} with {} partition(s)", config.workerId(), topic,
                    config.workerTopicPartitions());
            return StartupWait.Outcome.ready(null);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TopicExistsException) {
                return StartupWait.Outcome.ready(null);
            }
            if (ClusterWaits.isTransient(cause)) {
                return StartupWait.Outcome.notReady(reason, cause);
            }
            throw wait.fatal(reason, cause);
        }
    }
}
