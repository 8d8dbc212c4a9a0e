package io.kdispatch.benchmarks.e2e;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Workers on the real worker SDK, as a child process so that their CPU is not counted as the
 * dispatcher's: {@code count} workers {@code bench-w1..} of {@code capacity} slots each, whose handler
 * takes {@code workMs} of simulated work (0 = no-op) and returns the payload.
 *
 * <p>Arguments: {@code bootstrap registryUrl topicPrefix count capacity workMs}. Runs until SIGTERM.
 */
public final class WorkerFleetMain {
    /** Printed once every worker runs. */
    static final String READY = "workers running: ";

    private WorkerFleetMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: WorkerFleetMain bootstrap registryUrl topicPrefix count capacity workMs");
        }
        int count = Integer.parseInt(args[3]);
        int capacity = Integer.parseInt(args[4]);
        long workNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[5]));
        TaskHandler handler = ctx -> {
            if (workNanos > 0) {
                LockSupport.parkNanos(workNanos); // the task's simulated work
            }
            return ctx.payload();
        };
        List<Worker> workers = new ArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (workers) {
                workers.forEach(Worker::abort); // a benchmark's end needs no drain
            }
            closed.countDown();
        }, "workers-shutdown"));
        for (int i = 1; i <= count; i++) {
            Worker worker = Worker.builder().workerId(workerId(i)).bootstrapServers(args[0])
                    .serdeConfig(SerdeConfig.of(args[1])).topics(new Topics(args[2])).capacity(capacity)
                    .handler(handler).build();
            worker.start();
            synchronized (workers) {
                workers.add(worker);
            }
        }
        System.out.println(READY + count + " x " + capacity);
        closed.await();
    }

    static String workerId(int n) {
        return "bench-w" + n;
    }
}
