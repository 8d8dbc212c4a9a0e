package io.kdispatch.dispatcher.security;

import static io.kdispatch.dispatcher.security.Probes.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kdispatch.dispatcher.security.SecuredCluster.Installation;
import io.kdispatch.schemas.Topics;
import io.kdispatch.sdk.internal.KafkaSettings;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ACL recipe ({@code ops/acl/kdispatch.acl}), applied with {@code acls --apply}, confines a worker's
 * principal to its own topic and group and to writing heartbeats and results, and a submitter's to
 * writing the intake. Each refusal is asserted with the exact exception a client gets.
 */
@ExtendWith(SecuredClusterExtension.class)
class WorkerAclIT {
    private static Installation installation;
    private static Topics topics;
    private static Probes w1;
    private static Probes admin;

    @BeforeAll
    static void install(SecuredCluster cluster) throws Exception {
        installation = cluster.install(true);
        topics = installation.topics();
        w1 = new Probes(cluster, SecuredCluster.worker("w1"));
        admin = new Probes(cluster, SecuredCluster.ADMIN);
        w1.create(topics.workerTopic("w1")); // as the SDK does on start: the recipe grants Create on its own topic
        admin.create(topics.workerTopic("w2"));
        for (String topic : new String[] {topics.workerTopic("w1"), topics.workerTopic("w2"), topics.tasks()}) {
            admin.write(topic);
        }
    }

    @Test
    void aWorkerReadsItsOwnTopicWithItsOwnGroupOnly() {
        String ownGroup = KafkaSettings.groupId("w1");

        assertThat(w1.readOne(topics.workerTopic("w1"), ownGroup)).isEqualTo("v");
        refused(TopicAuthorizationException.class, () -> w1.readOne(topics.workerTopic("w2"), ownGroup));
        refused(TopicAuthorizationException.class, () -> w1.readOne(topics.tasks(), ownGroup));
        refused(TopicAuthorizationException.class, () -> w1.readOne(topics.heartbeats(), ownGroup));
        refused(TopicAuthorizationException.class, () -> w1.readOneAssigned(topics.workerTopic("w2")));
        refused(GroupAuthorizationException.class,
                () -> w1.readOne(topics.workerTopic("w1"), KafkaSettings.groupId("w2")));
    }

    @Test
    void aWorkerWritesHeartbeatsAndResultsOnly() {
        assertThatCode(() -> w1.write(topics.heartbeats())).doesNotThrowAnyException();
        assertThatCode(() -> w1.write(topics.results())).doesNotThrowAnyException();

        refused(TopicAuthorizationException.class, () -> w1.write(topics.tasks()));
        refused(TopicAuthorizationException.class, () -> w1.write(topics.workerTopic("w2")));
        // Not even its own topic: only the dispatcher assigns tasks.
        refused(TopicAuthorizationException.class, () -> w1.write(topics.workerTopic("w1")));
        refused(TopicAuthorizationException.class, () -> w1.write(topics.deadLetters()));
        refused(TransactionalIdAuthorizationException.class,
                () -> w1.writeInTransaction("kdispatch-worker-w1-tx", topics.results()));
    }

    @Test
    void aWorkerCreatesAndDescribesItsOwnTopicOnly() {
        refused(TopicExistsException.class, () -> w1.create(topics.workerTopic("w1")));
        assertThatCode(() -> w1.describe(topics.workerTopic("w1"))).doesNotThrowAnyException();

        refused(TopicAuthorizationException.class, () -> w1.create(topics.workerTopic("w2")));
        refused(TopicAuthorizationException.class, () -> w1.create(topics.workerTopic("w3")));
        refused(TopicAuthorizationException.class, () -> w1.describe(topics.workerTopic("w2")));
        refused(TopicAuthorizationException.class, () -> w1.describe(topics.tasks()));
    }

    @Test
    void applyingTheRecipeAgainChangesNothing(SecuredCluster cluster) throws Exception {
        try (Admin superUser = cluster.admin(SecuredCluster.ADMIN)) {
            Collection<AclBinding> before = superUser.describeAcls(AclBindingFilter.ANY).values()
                    .get(Probes.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            cluster.applyRecipe(installation);

            assertThat(superUser.describeAcls(AclBindingFilter.ANY).values()
                    .get(Probes.DEADLINE.toSeconds(), TimeUnit.SECONDS)).containsExactlyInAnyOrderElementsOf(before);
        }
    }

    @Test
    void aSubmitterWritesTheIntakeAndNothingElse(SecuredCluster cluster) {
        Probes submitter = new Probes(cluster, SecuredCluster.SUBMITTER);

        assertThatCode(() -> submitter.write(topics.tasks())).doesNotThrowAnyException();
        refused(TopicAuthorizationException.class, () -> submitter.write(topics.results()));
        refused(TopicAuthorizationException.class, () -> submitter.write(topics.workerTopic("w1")));
        refused(TopicAuthorizationException.class, () -> submitter.readOneAssigned(topics.tasks()));
        refused(GroupAuthorizationException.class, () -> submitter.readOne(topics.tasks(), "submitter-group"));
    }
}
