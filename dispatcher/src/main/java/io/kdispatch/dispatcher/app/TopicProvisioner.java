package io.kdispatch.dispatcher.app;

import io.kdispatch.dispatcher.config.TopicLayout;
import io.kdispatch.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the dispatcher's topics with explicit partition counts and configs (never by broker
 * auto-creation) and checks that existing ones fit: the results topic must have {@code topic.partitions}
 * partitions, like the routing repartition topic, because a result must reach the stream task that
 * holds its assignment.
 */
public final class TopicProvisioner {
    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    /** The topics the dispatcher needs, as they would be created. */
    public static List<NewTopic> plan(Topics topics, TopicLayout layout) {
        Optional<Integer> partitions = Optional.of(layout.partitions());
        Optional<Short> replication = Optional.of(layout.replicationFactor());
        List<NewTopic> plan = new ArrayList<>();
        plan.add(new NewTopic(topics.tasks(), partitions, replication));
        plan.add(new NewTopic(topics.results(), partitions, replication));
        plan.add(new NewTopic(topics.deadLetters(), partitions, replication));
        plan.add(new NewTopic(topics.decisions(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                        + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(7).toMillis()))));
        plan.add(new NewTopic(topics.heartbeats(), Optional.of(1), replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                        + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(1).toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()))));
        plan.add(new NewTopic(topics.control(), Optional.of(1), replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        return plan;
    }

    /**
     * Creates whichever planned topics are missing and verifies the partition counts of the rest.
     *
     * @return the names of the topics created
     * @throws IllegalStateException when the results topic's partitions differ from the layout
     */
    public List<String> ensure(Topics topics, TopicLayout layout) {
        List<String> created = new ArrayList<>();
        List<String> needed = new ArrayList<>();
        for (NewTopic topic : plan(topics, layout)) {
            needed.add(topic.name());
            if (create(topic)) {
                created.add(topic.name());
            }
        }
        awaitLeaders(needed);
        int results = partitions(topics.results());
        if (results != layout.partitions()) {
            throw new IllegalStateException("topic " + topics.results() + " has " + results + " partitions but "
                    + "topic.partitions is " + layout.partitions() + ": they must match, because tasks are "
                    + "repartitioned by routing key into topic.partitions partitions and each result must reach "
                    + "the dispatcher task that holds its assignment; set topic.partitions=" + results);
        }
        return created;
    }

    /**
     * Waits until the brokers' metadata shows a leader for every partition of the needed topics: creation
     * returns once the controller has them, and a Streams global store started a moment later could
     * otherwise find "no partitions available" on a broker whose metadata cache lags. Topics that already
     * existed are awaited too: another instance starting at the same moment may have just created them.
     */
    private void awaitLeaders(List<String> needed) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(needed).allTopicNames()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean ready = described.values().stream().allMatch(d -> !d.partitions().isEmpty()
                        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                log.debug("Topics {} not visible yet: {}", needed, e.getCause().toString());
            } catch (TimeoutException e) {
                log.debug("Describing topics {} timed out", needed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for new topics", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + needed + " have no partition leaders after "
                        + TIMEOUT + ": is the cluster healthy?");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private boolean create(NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created topic {} ({} partitions)", topic.name(), topic.numPartitions());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("could not create topic " + topic.name() + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after " + TIMEOUT + " creating topic " + topic.name()
                    + ": is the cluster reachable?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        }
    }

    private int partitions(String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return d.partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not describe topic " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        }
    }
}
