package io.kdispatch.dispatcher.cli;

import io.kdispatch.schemas.startup.StartupWait;
import io.kdispatch.sdk.ExecutionEvent;
import io.kdispatch.sdk.Worker;
import io.kdispatch.sdk.WorkerListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** An example worker built on worker-sdk. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run an example worker that sleeps per task and fails on request; prints one JSON line per "
                + "execution. SIGTERM drains it gracefully.")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    WaitOption startup;

    @Mixin
    ShutdownOption shutdown;

    @Mixin
    KafkaClientConfig clientConfig;

    @Option(names = "--id", required = true, description = "Worker ID ([a-zA-Z0-9._-]{1,200}).")
    String id;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--capacity", defaultValue = "4", description = "Tasks run at once (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--work-ms", defaultValue = "50", description = "Simulated work per task (default: ${DEFAULT-VALUE}).")
    long workMs;

    @Option(names = "--fail-rate", defaultValue = "0", description = "Share of tasks that fail, 0-1 (default: ${DEFAULT-VALUE}).")
    double failRate;

    @Override
    public Integer call() throws Exception {
        try (ShutdownSignal signal = shutdown.signal();
             Worker worker = Worker.builder()
                .workerId(id)
                .bootstrapServers(cluster.bootstrapServers)
                .kafkaProperties(clientConfig.properties())
                .serdeConfig(cluster.serdes())
                .topics(cluster.topics())
                .labels(labels)
                .capacity(capacity)
                .startWaitTimeout(startup.timeout)
                .handler(new ExampleHandler(workMs, failRate))
                .listener(new WorkerListener() {
                    @Override
                    public void onExecuted(ExecutionEvent event) {
                        print(event);
                    }
                })
                .build()) {
            if (!started(worker, signal)) {
                return 0; // stopped while waiting to start: nothing ran, nothing to drain
            }
            System.err.printf("worker %s running (capacity %d, labels %s)%n", id, capacity, labels);
            signal.await();
            System.err.printf("worker %s draining%n", id);
            return drained(worker, signal.drainTimeout()) ? 0 : 1;
        }
    }

    /** Starts the worker; false when the signal came first (it ends a start-up wait at once). */
    private static boolean started(Worker worker, ShutdownSignal signal) {
        signal.onStop(worker::shutdown);
        try {
            worker.start();
            return true;
        } catch (RuntimeException e) {
            if (signal.stopRequested()) {
                System.err.println(e.getMessage()); // "worker <id>: stopped while waiting for ..."
                return false;
            }
            throw e;
        }
    }

    /** Waits for the drain the signal began; aborts the tasks still running after {@code timeout}. */
    private static boolean drained(Worker worker, Duration timeout) throws InterruptedException {
        worker.shutdown();
        if (worker.awaitTermination(timeout)) {
            return true;
        }
        System.err.printf("worker %s did not drain within %s; aborting its tasks%n", worker.workerId(),
                StartupWait.format(timeout));
        worker.abort();
        return false;
    }

    static void print(ExecutionEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "executed");
        m.put("taskId", e.taskId());
        m.put("workerId", e.workerId());
        m.put("attempt", e.attempt());
        m.put("status", e.status().name());
        m.put("durationMs", e.durationMs());
        if (e.error() != null) {
            m.put("error", e.error());
        }
        System.out.println(RecordJson.write(m));
        System.out.flush();
    }
}
