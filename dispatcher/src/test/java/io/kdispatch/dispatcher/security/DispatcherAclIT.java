package io.kdispatch.dispatcher.security;

import static io.kdispatch.dispatcher.security.Probes.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kdispatch.dispatcher.security.SecuredCluster.Installation;
import io.kdispatch.schemas.Topics;
import io.kdispatch.sdk.internal.KafkaSettings;
import java.util.List;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ACL recipe gives the dispatcher's principal what Kafka Streams under exactly-once, the topic setup,
 * the control producer and the lag monitor need, and no more: transactions and internal topics under its
 * application ID only, assignments written but no task or result forged. {@code SecuredEndToEndIT} shows
 * that this is enough to run.
 */
@ExtendWith(SecuredClusterExtension.class)
class DispatcherAclIT {
    private static Topics topics;
    private static String app;
    private static Probes dispatcher;

    @BeforeAll
    static void install(SecuredCluster cluster) throws Exception {
        Installation installation = cluster.install(true);
        topics = installation.topics();
        app = installation.applicationId();
        dispatcher = new Probes(cluster, SecuredCluster.DISPATCHER);
        Probes admin = new Probes(cluster, SecuredCluster.ADMIN);
        admin.create(topics.workerTopic("w1"));
        for (String topic : List.of(topics.tasks(), topics.results(), topics.heartbeats(), topics.control(),
                topics.decisions(), topics.workerTopic("w1"))) {
            admin.write(topic);
        }
    }

    @Test
    void itRunsExactlyOnceCyclesUnderItsApplicationIdOnly() {
        assertThatCode(() -> dispatcher.consumeAndProduceInTransaction(app + "-process-1", app, topics.tasks(),
                topics.workerTopic("w1"))).doesNotThrowAnyException();

        refused(TransactionalIdAuthorizationException.class,
                () -> dispatcher.writeInTransaction("other-app-process-1", topics.workerTopic("w1")));
        refused(GroupAuthorizationException.class, () -> dispatcher.readOne(topics.tasks(), "other-app"));
    }

    @Test
    void itCreatesItsInternalTopicsButNoWorkerTopicAndNoOtherApplicationsTopic() {
        assertThatCode(() -> dispatcher.create(app + "-assignments-changelog")).doesNotThrowAnyException();

        refused(TopicAuthorizationException.class, () -> dispatcher.create("other-app-assignments-changelog"));
        refused(TopicAuthorizationException.class, () -> dispatcher.create(topics.workerTopic("w9")));
    }

    @Test
    void itReadsEveryInputAndWritesAssignmentsDeadLettersDecisionsAndControlOnly() {
        for (String topic : List.of(topics.results(), topics.heartbeats(), topics.control(), topics.decisions())) {
            assertThat(dispatcher.readOneAssigned(topic)).as(topic).isEqualTo("v");
        }
        for (String topic : List.of(topics.workerTopic("w1"), topics.deadLetters(), topics.decisions(),
                topics.control())) {
            assertThatCode(() -> dispatcher.write(topic)).as(topic).doesNotThrowAnyException();
        }

        refused(TopicAuthorizationException.class, () -> dispatcher.write(topics.tasks()));
        refused(TopicAuthorizationException.class, () -> dispatcher.write(topics.results()));
        refused(TopicAuthorizationException.class, () -> dispatcher.write(topics.heartbeats()));
    }

    @Test
    void itsLagMonitorReadsWorkerOffsetsAndTheOldestTask() throws Exception {
        assertThat(dispatcher.committedOffsets(KafkaSettings.groupId("w1"))).isNotNull();
        assertThat(dispatcher.readOneAssigned(topics.workerTopic("w1"))).isEqualTo("v");

        refused(GroupAuthorizationException.class, () -> dispatcher.committedOffsets("someone-elses-group"));
    }
}
