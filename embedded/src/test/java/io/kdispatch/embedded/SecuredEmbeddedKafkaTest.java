package io.kdispatch.embedded;

import static io.kdispatch.embedded.KafkaTestClients.DEADLINE;
import static io.kdispatch.embedded.KafkaTestClients.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker started with {@link BrokerSecurity}: clients must authenticate with SCRAM, the super user
 * may do anything (including transactions, whose markers the node sends itself over the SASL
 * inter-broker listener), and anyone else may do only what an ACL grants.
 */
class SecuredEmbeddedKafkaTest {
    private static final BrokerSecurity SECURITY = BrokerSecurity.scram("admin", "admin-secret")
            .withUser("alice", "alice-secret");
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withSecurity(SECURITY));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theSuperUserRunsTransactions() throws Exception {
        String topic = uniqueName("tx");
        try (Admin admin = admin(kafka.adminClientProperties())) {
            get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all());
        }
        Map<String, Object> producerSettings = new HashMap<>(kafka.adminClientProperties());
        producerSettings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, uniqueName("tx"));
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka, producerSettings);
             KafkaConsumer<String, String> consumer = consumer(kafka.adminClientProperties())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed")).get();
            producer.commitTransaction();
            consumer.subscribe(List.of(topic));

            assertEquals(List.of("committed"), KafkaTestClients.pollValues(consumer, 1));
        }
    }

    @Test
    void aUserWithoutAclsMayDoNothingAndAnAclGrantsExactlyItsOperation() throws Exception {
        String granted = uniqueName("granted");
        String other = uniqueName("other");
        try (Admin admin = admin(kafka.adminClientProperties());
             Admin alice = admin(SECURITY.clientProperties("alice"))) {
            get(admin.createTopics(List.of(new NewTopic(granted, 1, (short) 1), new NewTopic(other, 1, (short) 1)))
                    .all());
            assertCause(TopicAuthorizationException.class, alice.describeTopics(List.of(granted)).allTopicNames());
            assertCause(TopicAuthorizationException.class,
                    alice.createTopics(List.of(new NewTopic(uniqueName("new"), 1, (short) 1))).all());

            AclBinding describeGranted = new AclBinding(new ResourcePattern(ResourceType.TOPIC, granted,
                    PatternType.LITERAL), new AccessControlEntry("User:alice", "*", AclOperation.DESCRIBE,
                    AclPermissionType.ALLOW));
            get(admin.createAcls(List.of(describeGranted)).all());
            // The controller has the ACL when createAcls returns; the broker's authorizer a moment later.
            await().atMost(DEADLINE).until(() -> get(admin.describeAcls(AclBindingFilter.ANY).values())
                    .contains(describeGranted));

            assertTrue(get(alice.describeTopics(List.of(granted)).allTopicNames()).containsKey(granted));
            assertCause(TopicAuthorizationException.class, alice.describeTopics(List.of(other)).allTopicNames());
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (Admin impostor = admin(BrokerSecurity.scramClientProperties("alice", "guess"))) {
            assertCause(SaslAuthenticationException.class, impostor.listTopics().names());
        }
    }

    @Test
    void aPlaintextClientGetsNoAnswer() {
        try (Admin plaintext = admin(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000))) {
            assertCause(TimeoutException.class, plaintext.listTopics().names());
        }
    }

    private static Admin admin(Map<String, Object> auth) {
        Map<String, Object> config = new HashMap<>(auth);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(config);
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> auth) {
        return KafkaTestClients.readCommittedConsumer(kafka, auth);
    }

    private static <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private static void assertCause(Class<? extends Throwable> expected, KafkaFuture<?> future) {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> get(future));
        assertInstanceOf(expected, failure.getCause(), failure.getCause().toString());
    }
}
