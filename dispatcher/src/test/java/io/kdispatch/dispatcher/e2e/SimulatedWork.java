package io.kdispatch.dispatcher.e2e;

/**
 * Stands for the computation inside a test worker's handler: the handler is busy for this long. It is
 * how tests give workers tasks in flight, full slots or long runs; nothing waits on Kafka here (tests
 * wait for Kafka with Awaitility and a deadline).
 */
final class SimulatedWork {
    private SimulatedWork() {
    }

    static void take(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
