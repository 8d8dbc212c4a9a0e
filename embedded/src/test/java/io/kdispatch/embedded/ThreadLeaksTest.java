package io.kdispatch.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadLeaksTest {

    @Test
    void aThreadStillRunningIsReportedByNameWithItsStack() throws InterruptedException {
        Set<Thread> before = ThreadLeaks.snapshot();
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> awaitQuietly(release), "kdispatch-test-leak");
        worker.start();
        try {
            assertEquals(List.of(worker), ThreadLeaks.startedSince(before));
            AssertionError error = assertThrows(AssertionError.class,
                    () -> ThreadLeaks.awaitNoneStartedSince(before, Duration.ofMillis(100)));

            assertTrue(error.getMessage().contains("\"kdispatch-test-leak\""), error.getMessage());
            assertTrue(error.getMessage().contains("at "), error.getMessage());
        } finally {
            release.countDown();
            worker.join();
        }
    }

    @Test
    void aThreadThatEndsBeforeTheDeadlineIsNoLeak() {
        Set<Thread> before = ThreadLeaks.snapshot();
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> awaitQuietly(release), "kdispatch-test-ending");
        worker.start();
        release.countDown();

        ThreadLeaks.awaitNoneStartedSince(before, Duration.ofSeconds(10));
    }

    @Test
    void commonPoolWorkersAreNotReported() {
        Set<Thread> before = ThreadLeaks.snapshot();
        CompletableFuture.runAsync(() -> { }).join();

        // Only common-pool workers are in question: other tests' threads may come and go meanwhile.
        assertEquals(List.of(), ThreadLeaks.startedSince(before).stream()
                .filter(t -> t.getName().startsWith("ForkJoinPool.commonPool")).toList());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
