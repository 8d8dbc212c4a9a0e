package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.security.CliProcess;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.SubmitClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's kill loop: two dispatcher processes and three worker processes, tasks fed
 * continuously (some with an affinity key, some requiring a label only one worker has), and in every
 * cycle one dispatcher killed with SIGKILL and restarted on its state directory, and every other cycle
 * ({@code -Dfaults.workerEvery=1}: every cycle) a worker killed with SIGKILL and restarted with the same ID.
 * Each cycle waits for the system to make progress again within {@link #RECOVERY_BOUND}; at the end every
 * task must end within {@link #DRAIN_BOUND} (far below the 5-minute lease: recovery is by liveness), and {@link TopicAudit}
 * must find nothing lost, nothing dispatched twice, no key out of order and no label rule broken.
 *
 * <p>Short form in {@code mvn verify}: {@value #DEFAULT_CYCLES} cycles. Long form:
 * {@code mvn -pl dispatcher -am verify -Dit.test=FaultLoopIT -Dfaults.cycles=50 -Dfaults.workerEvery=1}
 * (50 dispatcher and 50 worker kills; prints its figures).
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class FaultLoopIT {
    static final int DEFAULT_CYCLES = 6;
    /** A worker is killed too in every {@code faults.workerEvery}-th cycle (1: in every cycle). */
    static final int DEFAULT_WORKER_EVERY = 2;
    private static final Duration START = Duration.ofSeconds(120);
    /** Progress after a kill: a session timeout (6 s), an open transaction aborted (up to 15 s), the restarted
     * instance rejoining (another rebalance), JVM starts on 2 busy cores; measured 15-47 s on a loaded machine. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(120);
    private static final int PROGRESS_PER_CYCLE = 30;
    private static final int EXPLAINED_ON_FAILURE = 40;
    private static final long SUBMIT_EVERY_MS = 40;
    private static final Map<String, Map<String, String>> WORKERS = workers();
    private static final Pattern ADMIN_URL = Pattern.compile(
            "dispatcher running: .* admin=(http://\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void killLoopsLoseNothingAndDispatchNothingTwice(EmbeddedKafka kafka, EmbeddedRegistry registry,
                                                     @TempDir Path dir) throws Exception {
        int cycles = Integer.getInteger("faults.cycles", DEFAULT_CYCLES);
        int workerEvery = Math.max(1, Integer.getInteger("faults.workerEvery", DEFAULT_WORKER_EVERY));
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url());
             Processes processes = new Processes(stack, dir)) {
            processes.dispatcher("a");
            processes.dispatcher("b");
            WORKERS.keySet().forEach(processes::worker);
            OutcomeTracker outcomes = stack.outcomes();
            SubmitClient submitter = stack.submitter();
            AtomicLong submitted = new AtomicLong();
            Set<String> ids = ConcurrentHashMap.newKeySet();
            feeder.scheduleAtFixedRate(() -> ids.add(submit(submitter, submitted.getAndIncrement())), 0,
                    SUBMIT_EVERY_MS, TimeUnit.MILLISECONDS);
            awaitProgress(outcomes, submitted.get(), START, processes, ids);

            List<Long> recoveries = new ArrayList<>();
            List<String> workerIds = List.copyOf(WORKERS.keySet());
            List<String> kills = new ArrayList<>();
            int workerKills = 0;
            for (int cycle = 0; cycle < cycles; cycle++) {
                boolean worker = cycle % workerEvery == workerEvery - 1;
                long killed = System.nanoTime();
                kills.add(java.time.Instant.now() + (worker ? " dispatcher+worker" : " dispatcher"));
                processes.restartDispatcher(cycle % 2 == 0 ? "a" : "b");
                if (worker) {
                    processes.restartWorker(workerIds.get(workerKills++ % workerIds.size()));
                }
                awaitProgress(outcomes, submitted.get(), RECOVERY_BOUND, processes, ids);
                recoveries.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            }
            Drain.everyTaskEnds(feeder, submitter, ids, outcomes, DRAIN_BOUND, processes.all());

            TopicAudit.Report report = TopicAudit.audit(stack, FaultLoopIT::sequence, WORKERS);
            System.out.printf("fault loop: %d cycles (%d dispatcher kills, %d worker kills); %s; recovery after "
                    + "each kill (ms until the %d tasks submitted next have ended): %s%n", cycles, cycles, workerKills, report,
                    PROGRESS_PER_CYCLE, recoveries);
            System.out.println("kills: " + kills);
            assertThat(report.submitted()).isEqualTo(ids.size());
            assertThat(report.clean()).as(report.toString()).isTrue();
            assertThat(report.deadLettered()).as(report.toString()).isZero();
        } finally {
            feeder.shutdownNow();
        }
    }

    /** Worker IDs and labels: only w2 has zone b, so tasks requiring it wait whenever w2 is down. */
    private static Map<String, Map<String, String>> workers() {
        Map<String, Map<String, String>> workers = new LinkedHashMap<>();
        workers.put("w1", Map.of("zone", "a"));
        workers.put("w2", Map.of("zone", "b"));
        workers.put("w3", Map.of("zone", "a"));
        return workers;
    }

    /**
     * Task {@code n}: every other one has one of 8 affinity keys, every fifth requires zone b, and some of
     * the others come in pairs of one of 4 anti-affinity groups (never with a key: a task with both is routed by
     * its group, and its key then keeps its worker only on a best-effort basis).
     */
    private static String submit(SubmitClient submitter, long n) {
        String id = "f-" + n;
        Task.Builder task = Task.newBuilder().setId(id).setType("fault").setPayload(ByteBuffer.wrap(new byte[] {1}));
        if (n % 2 == 0) {
            task.setAffinityKey("k-" + n % 16 / 2);
        }
        if (n % 5 == 0) {
            task.setRequiredLabels(Map.of("zone", "b"));
        }
        if (n % 14 == 3 || n % 14 == 5) { // two members 80 ms apart, each running 100 ms: they overlap
            task.setAntiAffinityGroup("g-" + n / 14 % 4);
        }
        submitter.submit(task.build());
        return id;
    }

    private static long sequence(String taskId) {
        return Long.parseLong(taskId.substring(2));
    }

    /**
     * Waits until the {@link #PROGRESS_PER_CYCLE} tasks submitted from number {@code from} on have ended: the
     * dispatcher routes again (workers finishing what they had queued would not show that). A failure names
     * the tasks still open and what the dispatcher says of each ({@code GET /tasks/{id}}).
     */
    private static void awaitProgress(OutcomeTracker outcomes, long from, Duration bound, Processes processes,
                                      Set<String> submitted) throws Exception {
        Set<String> next = new java.util.HashSet<>();
        for (long n = from; n < from + PROGRESS_PER_CYCLE; n++) {
            next.add("f-" + n);
        }
        try {
            CliProcess.explainFailure(() -> await("progress after a fault").atMost(bound)
                    .pollInterval(Duration.ofMillis(200)).until(() -> outcomes.allEnded(next)), processes.all());
        } catch (AssertionError e) {
            List<String> open = next.stream().filter(id -> !outcomes.allEnded(Set.of(id))).sorted().toList();
            throw new AssertionError("not ended within " + bound + ": " + open + "\n" + processes.explain(
                    submitted.stream().filter(id -> !outcomes.allEnded(Set.of(id)))
                            .sorted(Comparator.comparingLong(FaultLoopIT::sequence))
                            .limit(EXPLAINED_ON_FAILURE).toList()) + "\n" + e.getMessage(), e);
        }
    }

    /** The dispatcher and worker processes of the loop, by name; closing stops those still running. */
    private static final class Processes implements AutoCloseable {
        private final Stack stack;
        private final Path dir;
        private final Map<String, CliProcess> running = new LinkedHashMap<>();
        private int started;

        Processes(Stack stack, Path dir) {
            this.stack = stack;
            this.dir = dir;
        }

        void dispatcher(String name) {
            try {
                // The loop, not the tasks, loses tasks: a task in flight on a killed worker, re-sent to a worker
                // killed next, counts a loss each time, and three make it POISON by default. Poison detection
                // has its own tests; here every dead letter is a failure.
                Path config = Files.writeString(dir.resolve(name + ".properties"), "application.id="
                        + stack.topics.prefix() + "-dispatcher\nstate.dir=" + dir.resolve("state-" + name)
                        + "\npoison.max.losses=" + HealthSettings.MAX_POISON_LOSSES + "\n");
                start(name, List.of("run", "--bootstrap-servers", stack.bootstrapServers, "--schema-registry-url",
                        stack.serdes.registryUrl(), "--topic-prefix", stack.topics.prefix(), "--config",
                        config.toString(), "--admin-port", "0"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void worker(String id) {
            List<String> args = new ArrayList<>(List.of("worker", "--id", id, "--bootstrap-servers",
                    stack.bootstrapServers, "--schema-registry-url", stack.serdes.registryUrl(), "--topic-prefix",
                    stack.topics.prefix(), "--capacity", "4", "--work-ms", "100"));
            WORKERS.get(id).forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
            start(id, args);
        }

        void restartDispatcher(String name) throws InterruptedException {
            kill(name);
            dispatcher(name);
        }

        void restartWorker(String id) throws InterruptedException {
            kill(id);
            worker(id);
        }

        private void kill(String name) throws InterruptedException {
            CliProcess process = running.remove(name);
            process.kill();
        }

        private void start(String name, List<String> args) {
            try {
                running.put(name, CliProcess.start(dir, name + "-" + started++, args));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** What a running dispatcher says of each task ({@code GET /tasks/{id}}, answered by its owner). */
        String explain(List<String> taskIds) {
            StringBuilder out = new StringBuilder("open tasks (" + taskIds.size() + " shown), as the dispatcher "
                    + "explains them:");
            for (String taskId : taskIds) {
                out.append("\n").append(taskId).append(": ").append(explainOne(taskId));
            }
            return out.toString();
        }

        private String explainOne(String taskId) {
            for (Map.Entry<String, CliProcess> p : running.entrySet()) {
                Matcher admin = ADMIN_URL.matcher(p.getValue().output());
                if (WORKERS.containsKey(p.getKey()) || !admin.find()) {
                    continue;
                }
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                            URI.create(admin.group(1).replaceAll("/+$", "") + "/tasks/" + taskId)).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() + " " + r.body();
                } catch (java.io.IOException | InterruptedException e) {
                    // this instance may be the one just killed: ask the next
                }
            }
            return "no dispatcher answered";
        }

        CliProcess[] all() {
            List<CliProcess> all = new ArrayList<>(running.values());
            return all.toArray(new CliProcess[0]);
        }

        @Override
        public void close() throws InterruptedException {
            for (CliProcess process : running.values()) {
                process.close();
            }
        }
    }
}
