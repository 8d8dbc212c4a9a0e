package io.kdispatch.embedded;

import static io.kdispatch.embedded.KafkaTestClients.DEADLINE;
import static io.kdispatch.embedded.KafkaTestClients.createTopic;
import static io.kdispatch.embedded.KafkaTestClients.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Brokers of their own: these tests stop them, which the shared broker must never be. */
class EmbeddedKafkaLifecycleTest {

    @Test
    void closeStopsEveryThreadItStartedAndDeletesTheTemporaryDataDir() {
        Set<Thread> before = ThreadLeaks.snapshot();
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Path dataDir = kafka.dataDir();
        assertTrue(Files.isDirectory(dataDir));

        kafka.close();
        kafka.close();

        ThreadLeaks.awaitNoneStartedSince(before, Duration.ofSeconds(10));
        assertFalse(Files.exists(dataDir), dataDir + " still exists");
    }

    @Test
    void portInUseFailsWithThePortAndCleansUp() throws Exception {
        Set<Thread> before = ThreadLeaks.snapshot();
        Set<Path> tempDirsBefore = kafkaTempDirs();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withPort(taken.getLocalPort());

            IllegalStateException error = assertThrows(IllegalStateException.class, () -> EmbeddedKafka.start(options));

            assertTrue(error.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), error.getMessage());
        }
        ThreadLeaks.awaitNoneStartedSince(before, Duration.ofSeconds(10));
        assertEquals(tempDirsBefore, kafkaTempDirs());
    }

    @Test
    void givenDataDirIsKeptAndItsTopicsSurviveARestart(@TempDir Path dataDir) throws Exception {
        String topic = uniqueName("kept");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dataDir));
             Admin admin = KafkaTestClients.admin(kafka)) {
            createTopic(admin, topic);
        }
        assertTrue(Files.isDirectory(dataDir.resolve("logs")));

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dataDir));
             Admin admin = KafkaTestClients.admin(kafka)) {
            assertTrue(admin.listTopics().names().get(DEADLINE.toSeconds(), TimeUnit.SECONDS).contains(topic));
        }
    }

    @Test
    void stopAndRestartBringTheSameBrokerBackOnTheSameAddress() throws Exception {
        String topic = uniqueName("outage");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String address = kafka.bootstrapServers();
            try (Admin admin = KafkaTestClients.admin(kafka)) {
                createTopic(admin, topic);
            }
            try (var producer = KafkaTestClients.producer(kafka, java.util.Map.of())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k", "before")).get();

                kafka.stop();
                kafka.stop();
                assertFalse(kafka.isRunning());
                assertTrue(Files.isDirectory(kafka.dataDir()), "a stop keeps even a temporary data dir");
                kafka.restart();

                assertTrue(kafka.isRunning());
                assertEquals(address, kafka.bootstrapServers());
                // the same producer reconnects to the same address
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k", "after"))
                        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            try (var consumer = KafkaTestClients.readCommittedConsumer(kafka)) {
                consumer.subscribe(java.util.List.of(topic));
                assertEquals(java.util.List.of("before", "after"), KafkaTestClients.pollValues(consumer, 2));
            }
        }
    }

    private static Set<Path> kafkaTempDirs() throws IOException {
        try (Stream<Path> children = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return children.filter(path -> path.getFileName().toString().startsWith("kdispatch-kafka-"))
                    .collect(Collectors.toSet());
        }
    }
}
