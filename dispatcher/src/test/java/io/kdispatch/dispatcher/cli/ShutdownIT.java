package io.kdispatch.dispatcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.sdk.SubmitClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ends every long-running command within its bound ({@code --shutdown-timeout}, 30 s by
 * default), whatever it is doing, with exit status 0 when it stopped cleanly and 1 when it could not
 * drain in time. The commands run as real
 * child processes (the dispatcher's main class on the test classpath); {@link Process#destroy()} sends
 * SIGTERM on Linux.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class ShutdownIT {
    private static final Duration DEFAULT_BOUND = Duration.ofSeconds(ShutdownSignal.DEFAULT_BOUND_SECONDS);
    /** A JVM needs a moment to start and to report its exit on top of the command's own bound. */
    private static final Duration JVM_SLACK = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void runStopsCleanlyWithinTheBoundWhileTheBrokerIsUnreachable() throws Exception {
        Child run = start("run", "--bootstrap-servers", "127.0.0.1:" + freePort(),
                "--schema-registry-url", "http://127.0.0.1:" + freePort() + "/apis/ccompat/v7",
                "--admin-port", "0", "--set", "state.dir=" + dir.resolve("state"),
                "--set", "application.id=shutdown-" + UUID.randomUUID());
        run.awaitOutput("cannot reach the Kafka cluster");

        Duration took = run.terminate(DEFAULT_BOUND);
        assertThat(run.exitValue()).as(run.output()).isZero();
        assertThat(took).as("a wait ends at once").isLessThan(Duration.ofSeconds(10));
        assertThat(run.output()).contains(": stopped while waiting for the Kafka cluster at");
    }

    @Test
    void aRunningDispatcherDrainsAndExitsZeroWithinTheBound(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        Child run = start("run", "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", registry.url(),
                "--topic-prefix", "sig-" + UUID.randomUUID().toString().substring(0, 8), "--admin-port", "0",
                "--set", "state.dir=" + dir.resolve("state"), "--set", "application.id=shutdown-" + UUID.randomUUID());
        run.awaitOutput("dispatcher running:");

        run.terminate(DEFAULT_BOUND);
        assertThat(run.exitValue()).as(run.output()).isZero();
        assertThat(run.output()).contains("dispatcher stopping").contains("is NOT_RUNNING");
    }

    @Test
    void workerStopsCleanlyWithinTheBoundWhileWaitingForTheSharedTopics(EmbeddedKafka kafka) throws Exception {
        Child worker = start("worker", "--bootstrap-servers", kafka.bootstrapServers(),
                "--schema-registry-url", "http://127.0.0.1:" + freePort() + "/apis/ccompat/v7",
                "--topic-prefix", "sig-" + UUID.randomUUID().toString().substring(0, 8), "--id", "sig-w1");
        worker.awaitOutput("must exist before workers start");

        Duration took = worker.terminate(DEFAULT_BOUND);
        assertThat(worker.exitValue()).as(worker.output()).isZero();
        assertThat(took).as("a wait ends at once").isLessThan(Duration.ofSeconds(10));
        assertThat(worker.output()).contains("worker sig-w1: stopped while waiting for the topics [");
    }

    @Test
    void aWorkerThatCannotDrainInTimeAbortsAndExitsWithStatusOneWithinItsBound(EmbeddedKafka kafka,
            EmbeddedRegistry registry) throws Exception {
        Topics topics = new Topics("sig-" + UUID.randomUUID().toString().substring(0, 8));
        DispatcherConfig config = DispatcherConfig.defaults(kafka.bootstrapServers(), SerdeConfig.of(registry.url()),
                dir.resolve("state")).withTopics(topics).withApplicationId(topics.prefix() + "-dispatcher");
        try (DispatcherService dispatcher = new DispatcherService(config, "127.0.0.1", 0)) {
            dispatcher.start();
            assertThat(dispatcher.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Child worker = start("worker", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--schema-registry-url", registry.url(), "--topic-prefix", topics.prefix(), "--id", "sig-w2",
                    "--work-ms", "600000", "--shutdown-timeout", "6s");
            worker.awaitOutput("worker sig-w2 running");
            try (SubmitClient submit = SubmitClient.builder().bootstrapServers(kafka.bootstrapServers())
                    .serdeConfig(config.serdes()).topics(topics).build()) {
                submit.submit(Task.newBuilder().setId("never-ends").setType("echo").build()).get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> get(dispatcher.adminUrl() + "/workers")
                    .contains("\"inFlight\":1"));

            Duration took = worker.terminate(Duration.ofSeconds(6));
            assertThat(worker.exitValue()).as(worker.output()).isEqualTo(1);
            assertThat(took).as("it drained for two thirds of the bound").isGreaterThanOrEqualTo(Duration.ofSeconds(4));
            assertThat(worker.output()).contains("worker sig-w2 did not drain within 4s; aborting its tasks");
        }
    }

    private static String get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private Child start(String... args) throws IOException {
        Path log = dir.resolve("child-" + children.size() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + dir,
                "-Dlog4j2.configurationFile=log4j2-test.xml",
                Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        children.add(process);
        return new Child(process, log);
    }

    /** A port nothing listens on. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** One child process and the file holding its stdout and stderr. */
    private record Child(Process process, Path log) {
        void awaitOutput(String text) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> output().contains(text) || !process.isAlive());
            assertThat(process.isAlive()).as("still running: " + output()).isTrue();
        }

        /** Sends SIGTERM and asserts the process exits within {@code bound} (plus JVM slack); returns how long it took. */
        Duration terminate(Duration bound) throws InterruptedException {
            long begin = System.nanoTime();
            process.destroy();
            boolean exited = process.waitFor(bound.plus(JVM_SLACK).toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            assertThat(exited).as("exited within " + bound + " of SIGTERM: " + output()).isTrue();
            return took;
        }

        int exitValue() {
            return process.exitValue();
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
