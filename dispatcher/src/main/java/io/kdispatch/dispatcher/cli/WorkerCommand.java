package io.kdispatch.dispatcher.cli;

import io.kdispatch.sdk.ExecutionEvent;
import io.kdispatch.sdk.Worker;
import io.kdispatch.sdk.WorkerListener;
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
        try (ShutdownSignal signal = new ShutdownSignal();
             Worker worker = Worker.builder()
                .workerId(id)
                .bootstrapServers(cluster.bootstrapServers)
                .kafkaProperties(clientConfig.properties())
                .serdeConfig(cluster.serdes())
                .topics(cluster.topics())
                .labels(labels)
                .capacity(capacity)
                .handler(new ExampleHandler(workMs, failRate))
                .listener(new WorkerListener() {
                    @Override
                    public void onExecuted(ExecutionEvent event) {
                        print(event);
                    }
                })
                .build()) {
            worker.start();
            System.err.printf("worker %s running (capacity %d, labels %s)%n", id, capacity, labels);
            signal.await();
            System.err.printf("worker %s draining%n", id);
        }
        return 0;
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
