package io.kdispatch.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.ThreadLeaks;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lifecycle paths that need no broker: before start, and starts that must fail fast. */
class WorkerWithoutClusterTest {

    @Test
    void shutdownBeforeStartTerminates() throws InterruptedException {
        Worker worker = WorkerBuilderTest.valid().build();
        worker.shutdown();
        assertEquals(Worker.State.TERMINATED, worker.state());
        assertTrue(worker.isTerminated());
        assertTrue(worker.awaitTermination(Duration.ZERO));
    }

    @Test
    void startAfterTerminationIsRefused() {
        Worker worker = WorkerBuilderTest.valid().build();
        worker.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, worker::start);
        assertTrue(e.getMessage().contains("needs a NEW worker, but it is TERMINATED"), e.getMessage());
    }

    @Test
    void closeAndAbortAreIdempotent() {
        Worker worker = WorkerBuilderTest.valid().build();
        worker.close();
        worker.close();
        worker.abort();
        assertEquals(Worker.State.TERMINATED, worker.state());
    }

    @Test
    void abortBeforeStartTerminates() {
        Worker worker = WorkerBuilderTest.valid().build();
        worker.abort();
        assertEquals(Worker.State.TERMINATED, worker.state());
    }

    @Test
    void unresolvableBootstrapFailsFast() {
        Worker worker = WorkerBuilderTest.valid().bootstrapServers("no-such-host.invalid:9092").build();
        WorkerStartException e = assertThrows(WorkerStartException.class, worker::start);
        assertTrue(e.getMessage().contains("cannot connect to Kafka with bootstrapServers 'no-such-host.invalid:9092'"),
                e.getMessage());
        assertEquals(Worker.State.TERMINATED, worker.state());
    }

    @Test
    void unreachableClusterFailsWithinTheStartTimeoutAndLeavesNoThread() {
        Set<Thread> before = ThreadLeaks.snapshot();
        Worker worker = WorkerBuilderTest.valid()
                .bootstrapServers("127.0.0.1:1")
                .startTimeout(Duration.ofMillis(500))
                .startWaitTimeout(Duration.ZERO)
                .build();
        long started = System.nanoTime();
        WorkerStartException e = assertThrows(WorkerStartException.class, worker::start);
        assertTrue(e.getMessage().contains("cannot reach the Kafka cluster at '127.0.0.1:1'"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0,
                "start() should give up after about the start timeout");
        assertEquals(Worker.State.TERMINATED, worker.state());
        assertThrows(IllegalStateException.class, worker::start);
        ThreadLeaks.awaitNoneStartedSince(before, Duration.ofSeconds(5));
    }
}
