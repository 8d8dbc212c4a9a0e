package io.kdispatch.benchmarks.e2e;

import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.sdk.SubmitClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Latency at a steady offered rate: tasks submitted with {@link SubmitClient} at {@code rate} per
 * second (stamped {@code submittedAt} on this machine's clock), measured when a {@code read_committed}
 * consumer first sees each on a worker topic and when it sees its result. Only tasks submitted after
 * the warm-up count; the submitter keeps going for the whole window, then the phase waits for the
 * stragglers' results.
 */
final class LatencyPhase {
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final BenchCluster cluster;
    private final HarnessOptions options;
    private final Phases phases;

    LatencyPhase(BenchCluster cluster, HarnessOptions options, Phases phases) {
        this.cluster = cluster;
        this.options = options;
        this.phases = phases;
    }

    PhaseResult run(String name, int rate) {
        Topics topics = phases.fresh(name);
        cluster.createDispatcherTopics(topics);
        try (Deserializer<TaskAssignment> assignments = AvroSerdes.serde(TaskAssignment.class, cluster.serdes())
                .deserializer();
             Deserializer<TaskResult> results = AvroSerdes.serde(TaskResult.class, cluster.serdes()).deserializer();
             ChildJvm workers = phases.workers(name, topics, options.loopWorkers(), options.loopCapacity(), 0);
             OutputCounter toWorker = OutputCounter.timing(cluster.bootstrap(), Phases.workerTopics(topics),
                     r -> millis(assignments.deserialize(r.topic(), r.value()).getTask().getSubmittedAt()));
             OutputCounter toResult = OutputCounter.timing(cluster.bootstrap(), Phases.exactly(topics.results()),
                     r -> millis(results.deserialize(r.topic(), r.value()).getSubmittedAt()));
             DispatcherProcesses dispatchers = phases.dispatchers(name, 1, topics);
             Submitter submitter = new Submitter(topics, rate)) {
            submitter.probe(); // one task through the whole loop before the offered load starts
            awaitFirst(toResult, dispatchers);
            submitter.pace();
            hold(options.rate().warmup(), dispatchers);
            long from = System.currentTimeMillis();
            toWorker.measureFrom(from);
            toResult.measureFrom(from);
            List<ChildJvm> profiled = new ArrayList<>(dispatchers.processes());
            profiled.add(workers);
            phases.profiled(name, profiled, () -> hold(options.rate().window(), dispatchers));
            long submitted = submitter.stop();
            awaitCount(toResult, submitted, dispatchers);
            Map<String, OutputCounter.Percentiles> latencies = new LinkedHashMap<>();
            latencies.put("intake->worker", OutputCounter.Percentiles.of(toWorker.latency()));
            latencies.put("intake->result", OutputCounter.Percentiles.of(toResult.latency()));
            String note = toResult.count() < submitted ? (submitted - toResult.count()) + " results missing after "
                    + DRAIN.toSeconds() + " s" : "";
            return new PhaseResult(name, "latency at " + rate + " tasks/s offered, " + options.loopWorkers()
                    + " SDK workers, no-op tasks", null, Double.NaN, null, latencies, Double.NaN, note);
        }
    }

    private static long millis(Instant at) {
        return at == null ? -1 : at.toEpochMilli();
    }

    private void awaitFirst(OutputCounter counter, DispatcherProcesses dispatchers) {
        long deadline = System.nanoTime() + options.rate().firstOutputTimeout().toNanos();
        while (counter.count() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no result within " + options.rate().firstOutputTimeout());
            }
            hold(Duration.ofMillis(20), dispatchers);
        }
    }

    private static void awaitCount(OutputCounter counter, long expected, DispatcherProcesses dispatchers) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (counter.count() < expected && System.nanoTime() < deadline) {
            hold(Duration.ofMillis(20), dispatchers);
        }
    }

    /** Lets {@code span} pass (the phase's own pacing), failing early if a dispatcher dies. */
    private static void hold(Duration span, DispatcherProcesses dispatchers) {
        long end = System.nanoTime() + span.toNanos();
        while (System.nanoTime() < end) {
            dispatchers.processes().forEach(ChildJvm::requireAlive);
            LockSupport.parkNanos(Math.min(end - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    /** Submits tasks at a fixed rate on its own thread, from {@link #pace()} until stopped. */
    private final class Submitter implements AutoCloseable {
        private final SubmitClient client;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final Thread thread;

        Submitter(Topics topics, int rate) {
            // linger 0: the figure is the dispatcher's latency, not the producer's batching delay.
            client = SubmitClient.builder().bootstrapServers(cluster.bootstrap()).serdeConfig(cluster.serdes())
                    .topics(topics).kafkaProperties(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0)).build();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            thread = new Thread(() -> submit(periodNanos), "bench-submitter");
        }

        /** Submits one task now (before the measurement). */
        void probe() {
            client.submit(TaskCorpus.task(-1, System.currentTimeMillis()));
            client.flush();
            sent.incrementAndGet();
        }

        void pace() {
            thread.start();
        }

        private void submit(long periodNanos) {
            long next = System.nanoTime();
            int n = 0;
            while (running.get()) {
                long now = System.nanoTime();
                if (now < next) {
                    LockSupport.parkNanos(next - now); // pacing of the offered load
                    continue;
                }
                client.submit(TaskCorpus.task(n++, System.currentTimeMillis()));
                sent.incrementAndGet();
                next += periodNanos;
            }
            client.flush();
        }

        /** Stops submitting; returns how many tasks were submitted. */
        long stop() {
            running.set(false);
            try {
                if (thread.isAlive()) {
                    thread.join(30_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sent.get();
        }

        @Override
        public void close() {
            stop();
            client.close();
        }
    }
}
