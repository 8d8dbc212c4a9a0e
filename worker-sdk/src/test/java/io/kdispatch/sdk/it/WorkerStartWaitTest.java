package io.kdispatch.sdk.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.ThreadLeaks;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.sdk.Worker;
import io.kdispatch.sdk.WorkerStartException;
import io.kdispatch.sdk.testing.ExecutionLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Start in any order: a worker waits for the broker, the shared topics and the registry, and can be stopped meanwhile. */
@ExtendWith(EmbeddedKafkaExtension.class)
class WorkerStartWaitTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(3);
    private static final Duration LEAK_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void waitsForTheSharedTopicsThenRunsTasks(EmbeddedKafka kafka) throws Exception {
        Cluster cluster = new Cluster(kafka.bootstrapServers());
        ExecutionLog log = new ExecutionLog();
        try (Worker worker = cluster.worker("wait-1", ctx -> null).listener(log).build()) {
            CompletableFuture<Void> started = startInBackground(worker);
            awaitWaitingFor(worker, "the topics [" + cluster.topics.heartbeats() + ", " + cluster.topics.results() + "]");
            assertEquals(Worker.State.STARTING, worker.state());

            cluster.createSharedTopics();
            started.get(30, TimeUnit.SECONDS);
            assertEquals(Worker.State.RUNNING, worker.state());
            assertTrue(worker.waitingFor().isEmpty());
            cluster.assign("wait-1", Cluster.assignment("wait-1", "after-the-wait"));
            await().atMost(Duration.ofSeconds(20)).until(() -> log.count() == 1);
        }
    }

    @Test
    void aWaitLimitReachedFailsSayingWhatIsMissing(EmbeddedKafka kafka) {
        Cluster cluster = new Cluster(kafka.bootstrapServers());
        Worker worker = cluster.worker("wait-2", ctx -> null).startWaitTimeout(Duration.ofMillis(1_500)).build();
        WorkerStartException e = assertThrows(WorkerStartException.class, worker::start);
        assertTrue(e.getMessage().contains("must exist before workers start")
                && e.getMessage().contains("(gave up after waiting 1.5s)"), e.getMessage());
        assertEquals(Worker.State.TERMINATED, worker.state());
    }

    @Test
    void closeDuringTheWaitReturnsPromptlyAndLeavesNoThread(EmbeddedKafka kafka) throws Exception {
        stopDuringTheWait(kafka, "wait-3", Worker::close);
    }

    @Test
    void abortDuringTheWaitReturnsPromptlyAndLeavesNoThread(EmbeddedKafka kafka) throws Exception {
        stopDuringTheWait(kafka, "wait-4", Worker::abort);
    }

    @Test
    void shutdownDuringTheWaitTerminatesPromptlyAndLeavesNoThread(EmbeddedKafka kafka) throws Exception {
        stopDuringTheWait(kafka, "wait-5", worker -> {
            worker.shutdown();
            try {
                assertTrue(worker.awaitTermination(PROMPTLY));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void waitsForABrokerThatStartsLater() throws Exception {
        int port = freePort();
        Cluster cluster = new Cluster("127.0.0.1:" + port);
        ExecutionLog log = new ExecutionLog();
        try (Worker worker = cluster.worker("wait-6", ctx -> null).listener(log).build()) {
            CompletableFuture<Void> started = startInBackground(worker);
            awaitWaitingFor(worker, "the Kafka cluster at 127.0.0.1:" + port);
            try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPort(port))) {
                awaitWaitingFor(worker, "the topics [");
                cluster.createSharedTopics();
                started.get(30, TimeUnit.SECONDS);
                cluster.assign("wait-6", Cluster.assignment("wait-6", "once-the-broker-is-up"));
                await().atMost(Duration.ofSeconds(20)).until(() -> log.count() == 1);
                worker.close();
            }
        }
    }

    @Test
    void waitsForARegistryThatStartsLater(EmbeddedKafka kafka) throws Exception {
        int port = freePort();
        SerdeConfig registry = SerdeConfig.of("http://127.0.0.1:" + port + "/apis/ccompat/v7");
        Cluster cluster = new Cluster(kafka);
        try (Worker worker = cluster.worker("wait-7", ctx -> null).serdeConfig(registry).build()) {
            CompletableFuture<Void> started = startInBackground(worker);
            awaitWaitingFor(worker, "the schema registry at " + registry.registryUrl());
            try (EmbeddedRegistry ignored = EmbeddedRegistry.start(EmbeddedRegistry.Options.defaults().withPort(port));
                 TopicReader<WorkerHeartbeat> heartbeats = new TopicReader<>(cluster.bootstrap,
                         cluster.topics.heartbeats(), AvroSerdes.serde(WorkerHeartbeat.class, registry).deserializer())) {
                started.get(60, TimeUnit.SECONDS);
                assertEquals(Worker.State.RUNNING, worker.state());
                heartbeats.awaitMatching(1, hb -> hb.getStatus() == WorkerStatus.READY);
                worker.close();
            }
        }
    }

    /** A worker waiting for missing topics is stopped with {@code stop}: promptly, cleanly, no thread left. */
    private static void stopDuringTheWait(EmbeddedKafka kafka, String workerId, Consumer<Worker> stop)
            throws Exception {
        Cluster cluster = new Cluster(kafka.bootstrapServers());
        Set<Thread> before = ThreadLeaks.snapshot();
        Worker worker = cluster.worker(workerId, ctx -> null).build();
        CompletableFuture<Void> started = startInBackground(worker);
        awaitWaitingFor(worker, "the topics [");

        long begin = System.nanoTime();
        stop.accept(worker);
        assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(PROMPTLY) < 0, "the stop ends the wait at once");
        assertEquals(Worker.State.TERMINATED, worker.state());
        ExecutionException e = assertThrows(ExecutionException.class, () -> started.get(5, TimeUnit.SECONDS));
        assertInstanceOf(WorkerStartException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("worker " + workerId + ": stopped while waiting for the topics"),
                e.getCause().getMessage());
        ThreadLeaks.awaitNoneStartedSince(before, LEAK_TIMEOUT);
    }

    private static void awaitWaitingFor(Worker worker, String what) {
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.waitingFor().orElse("").startsWith(what));
    }

    /** Runs {@code worker.start()} on a thread of its own, which ends when start() returns. */
    private static CompletableFuture<Void> startInBackground(Worker worker) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                worker.start();
                started.complete(null);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        }, "test-start-" + worker.workerId());
        thread.start();
        return started;
    }

    /** A port nothing listens on yet. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
