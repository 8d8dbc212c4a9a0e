package io.kdispatch.dispatcher.demo;

import io.kdispatch.dispatcher.app.Dispatcher;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.lag.LagSettings;
import io.kdispatch.dispatcher.recording.TraceRecorder;
import io.kdispatch.dispatcher.simulate.Trace;
import io.micrometer.core.instrument.Gauge;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.Worker;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded demo: a real broker and registry, a dispatcher, a few workers and a task generator in
 * one JVM, with a progress line per second and a summary at the end.
 *
 * <p>Everything it starts is stopped by {@link #close()}, in reverse order.
 */
public final class DemoRun implements AutoCloseable {
    /** Demo parameters. */
    public record Options(Duration duration, int workers, int ratePerSecond, long workMs, int affinityKeys,
                          double poisonShare) {
        public Options {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("--duration must be positive");
            }
            if (workers < 1 || workers > 64) {
                throw new IllegalArgumentException("--workers must be between 1 and 64, was " + workers);
            }
            if (ratePerSecond < 1 || ratePerSecond > 100_000) {
                throw new IllegalArgumentException("--rate must be between 1 and 100000, was " + ratePerSecond);
            }
        }
    }

    private final Options options;
    private final PrintStream out;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private final Topics topics = Topics.defaults();
    private OutcomeTracker outcomes;
    private DispatcherService service;
    /** demo-worker-1 fails every task during the middle third of the run, to show its breaker at work. */
    private final AtomicBoolean troubled = new AtomicBoolean();
    private final List<Worker> workers = new ArrayList<>();
    private String bootstrapServers;
    private SerdeConfig serdes;
    private java.time.Instant generationStart;

    public DemoRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo to the end and returns its summary. */
    public DemoSummary run() throws Exception {
        Path home = Files.createTempDirectory("kdispatch-demo");
        started.add(() -> deleteQuietly(home));
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = track(EmbeddedKafka.start());
        out.printf("kafka      %s (KRaft, in-process)%n", kafka.bootstrapServers());
        EmbeddedRegistry registry = track(EmbeddedRegistry.start());
        out.printf("registry   %s (Apicurio, child process; log %s)%n", registry.url(), registry.logFile());
        SerdeConfig serdes = SerdeConfig.of(registry.url());
        this.bootstrapServers = kafka.bootstrapServers();
        this.serdes = serdes;

        DispatcherConfig config = DispatcherConfig.defaults(kafka.bootstrapServers(), serdes, home.resolve("state"))
                .withApplicationId("kdispatch-demo");
        DispatcherService service = track(new DispatcherService(config, "127.0.0.1", 0,
                LagSettings.defaults().withInterval(Duration.ofSeconds(1))));
        this.service = service;
        service.start();
        Dispatcher dispatcher = service.dispatcher();
        out.printf("admin      %s/metrics  %s/health%n", service.adminUrl(), service.adminUrl());
        for (int i = 1; i <= options.workers(); i++) {
            workers.add(track(startWorker(kafka.bootstrapServers(), serdes, "demo-worker-" + i, i)));
        }
        dispatcher.awaitRunning(Duration.ofMinutes(1));
        outcomes = track(new OutcomeTracker(kafka.bootstrapServers(), serdes, topics));
        out.printf("ready in %.1f s: dispatcher %s, %d workers; submitting %d tasks/s for %s%n",
                (System.nanoTime() - t0) / 1e9, dispatcher.state(), options.workers(), options.ratePerSecond(),
                options.duration());

        long genStart = System.nanoTime();
        generationStart = java.time.Instant.now();
        try (SubmitClient client = SubmitClient.builder().bootstrapServers(kafka.bootstrapServers())
                .serdeConfig(serdes).topics(topics).build()) {
            generate(client);
        }
        double genSeconds = (System.nanoTime() - genStart) / 1e9;
        awaitDrain(Duration.ofSeconds(30));
        double totalSeconds = (System.nanoTime() - genStart) / 1e9;
        return DemoSummary.of(submitted, outcomes, totalSeconds, genSeconds);
    }

    private Worker startWorker(String bootstrap, SerdeConfig serdes, String id, int n) {
        TaskHandler handler = ctx -> {
            if (options.workMs() > 0) {
                Thread.sleep(options.workMs()); // simulated work
            }
            if ("fail".equals(new String(ctx.payload(), StandardCharsets.UTF_8))) {
                throw new IllegalStateException("payload asked to fail");
            }
            if (n == 1 && troubled.get()) {
                throw new IllegalStateException("demo-worker-1's downstream is down (simulated)");
            }
            return ctx.payload();
        };
        Worker worker = Worker.builder().workerId(id).bootstrapServers(bootstrap).serdeConfig(serdes)
                .topics(topics).capacity(8).label("zone", n % 2 == 0 ? "b" : "a").handler(handler).build();
        worker.start();
        return worker;
    }

    private void generate(SubmitClient client) {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / options.ratePerSecond();
        long end = System.nanoTime() + options.duration().toNanos();
        long next = System.nanoTime();
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long troubleFrom = System.nanoTime() + options.duration().toNanos() / 3;
        long troubleTo = System.nanoTime() + 2 * options.duration().toNanos() / 3;
        // With three or more workers, the last one crashes at three quarters of the run.
        long crashAt = options.workers() >= 3 ? System.nanoTime() + 3 * options.duration().toNanos() / 4 : Long.MAX_VALUE;
        int seq = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            boolean trouble = options.workers() > 1 && now >= troubleFrom && now < troubleTo;
            if (now >= crashAt) {
                crashAt = Long.MAX_VALUE;
                Worker victim = workers.get(workers.size() - 1);
                out.println(">>> " + victim.workerId() + " crashes: watch it turn SUSPECT, then DEAD, and its tasks move");
                victim.abort();
            }
            if (trouble != troubled.getAndSet(trouble)) {
                out.println(trouble ? ">>> demo-worker-1 starts failing every task: watch its breaker open"
                        : ">>> demo-worker-1 recovers: watch its breaker probe and close");
            }
            if (now < next) {
                LockSupport.parkNanos(Math.min(next - now, TimeUnit.MILLISECONDS.toNanos(5)));
                continue;
            }
            String id = "demo-" + (++seq);
            boolean poison = options.poisonShare() > 0 && seq % Math.round(1 / options.poisonShare()) == 0;
            Task task = Task.newBuilder().setId(id).setType("demo").setPriority(seq % 10)
                    .setAffinityKey("customer-" + (seq % options.affinityKeys()))
                    .setPayload(ByteBuffer.wrap((poison ? "fail" : "hello " + seq).getBytes(StandardCharsets.UTF_8)))
                    .build();
            client.submit(task).thenRun(() -> submitted.add(id));
            next += periodNanos;
            if (now >= nextReport) {
                progress();
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
        }
        client.flush();
    }

    private void awaitDrain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = 0;
        while (!outcomes.allEnded(submitted) && System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextReport) {
                progress();
                nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        progress();
    }

    private void progress() {
        out.printf("submitted %6d  completed %6d  dead-lettered %4d  failed attempts %4d  intake lag %s%n",
                submitted.size(), outcomes.completed(), outcomes.deadLettered().size(), outcomes.failedAttempts(),
                gauge(service.meters().find("kdispatch.intake.lag.records").gauge()));
        StringBuilder workers = new StringBuilder("  workers:");
        Map<String, Long> done = outcomes.perWorker();
        for (int i = 1; i <= options.workers(); i++) {
            String w = "demo-worker-" + i;
            workers.append(String.format("  %s %s done=%d lag=%s breaker=%s", w, liveness(w),
                    done.getOrDefault(w, 0L),
                    gauge(service.meters().find("kdispatch.worker.lag.records").tag("worker", w).gauge()),
                    breaker(w)));
        }
        out.println(workers);
    }

    private String liveness(String worker) {
        for (Gauge g : service.meters().find("kdispatch.worker.liveness").tag("worker", worker).gauges()) {
            if (g.value() == 1) {
                return g.getId().getTag("state");
            }
        }
        return "?";
    }

    private String breaker(String worker) {
        Gauge open = service.meters().find("kdispatch.worker.breaker.open").tag("worker", worker).gauge();
        return open == null || open.value() == 0 ? "closed" : "EJECTED in " + Math.round(open.value()) + " partition(s)";
    }

    private static String gauge(Gauge g) {
        return g == null ? "-" : String.valueOf(Math.round(g.value()));
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                out.println("warning: closing " + started.get(i) + " failed: " + e);
            }
        }
        started.clear();
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The run recorded as a trace ({@code simulate --trace} replays it): its topics from a second before the
     * first task to now. Call after {@link #run()} and before {@link #close()}, while the broker is up.
     */
    public Trace trace() {
        if (generationStart == null) {
            throw new IllegalStateException("the demo has not run");
        }
        return new TraceRecorder(bootstrapServers, serdes, topics, Map.of())
                .record(generationStart.minusSeconds(1), java.time.Instant.now());
    }

    /** The submitted IDs so far (for tests). */
    Set<String> submitted() {
        return Set.copyOf(submitted);
    }

}
