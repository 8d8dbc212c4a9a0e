package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.Worker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Any start order works: workers, the submit client and the dispatcher each wait for what they need
 * (the broker, the shared topics, the registry) and then run, and every task completes.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class StartOrderIT {
    private static final Duration STARTED = Duration.ofSeconds(60);

    /** Runs the blocking starts; every thread ends with its start, and shutdownNow() interrupts a stuck one. */
    private final ExecutorService background = Executors.newCachedThreadPool();

    @AfterEach
    void stopBackground() throws InterruptedException {
        background.shutdownNow();
        assertThat(background.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void workersAndTheSubmitterStartedBeforeTheDispatcherWaitAndEveryTaskCompletes(EmbeddedKafka kafka,
            EmbeddedRegistry registry) throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            Worker w1 = stack.unstartedWorker("w1", 4, Map.of(), ctx -> ctx.payload(), UnaryOperator.identity());
            Worker w2 = stack.unstartedWorker("w2", 4, Map.of(), ctx -> ctx.payload(), UnaryOperator.identity());
            CompletableFuture<Void> workersStarted = CompletableFuture.allOf(
                    CompletableFuture.runAsync(w1::start, background), CompletableFuture.runAsync(w2::start, background));
            CompletableFuture<SubmitClient> submitter = CompletableFuture.supplyAsync(stack::submitter, background);
            awaitWaitingFor(w1, "the topics [" + stack.topics.heartbeats());
            awaitWaitingFor(w2, "the topics [" + stack.topics.heartbeats());
            assertThat(submitter).as("the submit client waits for the intake topic").isNotDone();

            stack.service(); // creates the topics
            workersStarted.get(STARTED.toSeconds(), TimeUnit.SECONDS);
            assertThat(w1.state()).isEqualTo(Worker.State.RUNNING);
            assertThat(w2.state()).isEqualTo(Worker.State.RUNNING);

            OutcomeTracker outcomes = stack.outcomes();
            Set<String> ids = EndToEndContract.submit(submitter.get(STARTED.toSeconds(), TimeUnit.SECONDS), 200, 20);
            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(ids));
            assertThat(outcomes.completed()).isEqualTo(ids.size());
            assertThat(outcomes.deadLettered()).isEmpty();
            assertThat(stack.executions.byWorker("w1")).as("both early workers got tasks").isNotEmpty();
            assertThat(stack.executions.byWorker("w2")).as("both early workers got tasks").isNotEmpty();
        }
    }

    @Test
    void theDispatcherAWorkerAndTheSubmitterStartedBeforeTheBrokerAndTheRegistryWaitAndRun() throws Exception {
        int kafkaPort = freePort();
        int registryPort = freePort();
        Stack stack = new Stack("127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7");
        try {
            DispatcherService dispatcher = stack.track(new DispatcherService(stack.config(), "127.0.0.1", 0));
            CompletableFuture<Void> dispatcherStarted = CompletableFuture.runAsync(dispatcher::start, background);
            Worker worker = stack.unstartedWorker("w1", 4, Map.of(), ctx -> ctx.payload(), UnaryOperator.identity());
            CompletableFuture<Void> workerStarted = CompletableFuture.runAsync(worker::start, background);
            CompletableFuture<SubmitClient> submitter = CompletableFuture.supplyAsync(stack::submitter, background);
            awaitWaitingFor(worker, "the Kafka cluster at 127.0.0.1:" + kafkaPort);

            try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPort(kafkaPort))) {
                // The dispatcher creates the topics once the broker is up; then everyone waits for the registry.
                awaitWaitingFor(worker, "the schema registry at " + stack.serdes.registryUrl());
                assertThat(dispatcherStarted).isNotDone();
                try (EmbeddedRegistry registry = EmbeddedRegistry.start(
                        EmbeddedRegistry.Options.defaults().withPort(registryPort))) {
                    dispatcherStarted.get(STARTED.toSeconds(), TimeUnit.SECONDS);
                    assertThat(dispatcher.awaitRunning(STARTED)).isTrue();
                    workerStarted.get(STARTED.toSeconds(), TimeUnit.SECONDS);
                    OutcomeTracker outcomes = stack.outcomes();
                    Set<String> ids = EndToEndContract.submit(submitter.get(STARTED.toSeconds(), TimeUnit.SECONDS),
                            100, 10);
                    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(ids));
                    assertThat(outcomes.completed()).isEqualTo(ids.size());
                    stack.close(); // while the broker and the registry are still up
                }
            }
        } finally {
            stack.close();
        }
    }

    private static void awaitWaitingFor(Worker worker, String what) {
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.waitingFor().orElse("").startsWith(what));
    }

    /** A port nothing listens on yet. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
