package io.kdispatch.schemas.startup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartupWaitTest {
    /** Pauses of a millisecond keep the retry loop fast; the fake clock decides when the limit is reached. */
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1));
    private static final IllegalStateException CAUSE = new IllegalStateException("no broker");

    private final AtomicLong now = new AtomicLong();
    private final ExecutorService waiter = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopWaiter() throws InterruptedException {
        waiter.shutdownNow();
        assertTrue(waiter.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void zeroLimitTriesOnceAndFailsWithThePlainReason() {
        AtomicInteger attempts = new AtomicInteger();
        StartupWait wait = new StartupWait("worker w1", Duration.ZERO, QUICK, now::get);
        StartupException e = assertThrows(StartupException.class, () -> wait.until("the topics", Duration.ofSeconds(15),
                t -> {
                    attempts.incrementAndGet();
                    assertEquals(Duration.ofSeconds(15), t, "a single try gets the whole attempt timeout");
                    return StartupWait.Outcome.notReady("the topics must exist", CAUSE);
                }));
        assertEquals(1, attempts.get());
        assertEquals("worker w1: the topics must exist: " + CAUSE, e.getMessage());
        assertSame(CAUSE, e.getCause());
        assertFalse(e.stopped());
    }

    @Test
    void retriesUntilReadyAndForgetsWhatItWaitedFor() {
        AtomicInteger attempts = new AtomicInteger();
        StartupWait wait = new StartupWait("worker w1", Duration.ofMinutes(5), QUICK, now::get);
        String value = wait.until("the topics", Duration.ofSeconds(15), t -> {
            assertEquals(wait.waitingFor().isPresent(), attempts.get() > 0, "known as waiting after a failure");
            return attempts.incrementAndGet() < 4 ? StartupWait.Outcome.notReady("not yet", null)
                    : StartupWait.Outcome.ready("ok");
        });
        assertEquals("ok", value);
        assertEquals(4, attempts.get());
        assertEquals(Optional.empty(), wait.waitingFor());
    }

    @Test
    void triesStartShortAndGrowUpToTheGivenBound() {
        List<Duration> timeouts = new ArrayList<>();
        StartupWait wait = new StartupWait("worker w1", Duration.ofMinutes(5), QUICK, now::get);
        wait.until("the cluster", Duration.ofSeconds(15), t -> {
            timeouts.add(t);
            return timeouts.size() < 4 ? StartupWait.Outcome.notReady("down", null) : StartupWait.Outcome.ready(null);
        });
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(15)),
                timeouts);
    }

    @Test
    void givesUpAtTheLimitCountedFromTheFirstStep() {
        StartupWait wait = new StartupWait("dispatcher d", Duration.ofSeconds(3), QUICK, now::get);
        wait.until("the cluster", Duration.ofSeconds(15), t -> {
            now.addAndGet(Duration.ofSeconds(2).toNanos());
            return StartupWait.Outcome.ready(null);
        });
        AtomicInteger attempts = new AtomicInteger();
        StartupException e = assertThrows(StartupException.class, () -> wait.until("the registry",
                Duration.ofSeconds(15), t -> {
                    attempts.incrementAndGet();
                    assertTrue(t.compareTo(Duration.ofSeconds(1)) <= 0, "a try gets at most what is left: " + t);
                    now.addAndGet(Duration.ofMillis(500).toNanos());
                    return StartupWait.Outcome.notReady("the registry does not answer", null);
                }));
        assertEquals(2, attempts.get(), "one second was left: two tries of half a second");
        assertEquals("dispatcher d: the registry does not answer (gave up after waiting 3s)", e.getMessage());
        assertFalse(e.stopped());
    }

    @Test
    void cancelEndsALongPauseAtOnceAndRunsTheHooks() throws Exception {
        StartupWait wait = new StartupWait("worker w1", Duration.ofHours(1),
                new Backoff(Duration.ofMinutes(10), Duration.ofMinutes(10)), System::nanoTime);
        AtomicInteger hookRuns = new AtomicInteger();
        wait.onCancel(hookRuns::incrementAndGet);
        CompletableFuture<StartupException> outcome = CompletableFuture.supplyAsync(() -> assertThrows(
                StartupException.class, () -> wait.until("the topics", Duration.ofSeconds(1),
                        t -> StartupWait.Outcome.notReady("missing", null))), waiter);
        await().atMost(Duration.ofSeconds(5)).until(() -> wait.waitingFor().isPresent());

        long begin = System.nanoTime();
        wait.cancel();
        StartupException e = outcome.get(5, TimeUnit.SECONDS);
        assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(Duration.ofSeconds(2)) < 0);
        assertTrue(e.stopped());
        assertEquals("worker w1: stopped while waiting for the topics", e.getMessage());
        assertEquals(1, hookRuns.get());
        wait.cancel();
        assertEquals(1, hookRuns.get(), "cancel is idempotent");
        wait.onCancel(hookRuns::incrementAndGet);
        assertEquals(2, hookRuns.get(), "a hook added after the cancel runs at once");
    }

    @Test
    void aFailureOfAnAttemptCancelledMeanwhileIsTheStopNotAnError() {
        StartupWait wait = new StartupWait("worker w1", Duration.ofMinutes(5), QUICK, now::get);
        StartupException e = assertThrows(StartupException.class, () -> wait.until("the cluster",
                Duration.ofSeconds(1), t -> {
                    wait.cancel();
                    throw new IllegalStateException("admin client closed");
                }));
        assertTrue(e.stopped());
    }

    @Test
    void anInterruptStopsTheWaitAndStaysVisible() {
        StartupWait wait = new StartupWait("submit client", Duration.ofMinutes(5), QUICK, now::get);
        StartupException e = assertThrows(StartupException.class, () -> wait.until("the topic", Duration.ofSeconds(1),
                t -> {
                    throw new InterruptedException();
                }));
        assertTrue(e.stopped());
        assertTrue(Thread.interrupted(), "the interrupt flag is restored (and cleared here)");
        assertTrue(wait.isCancelled());
    }

    @Test
    void fatalFailuresPassThroughWithTheContext() {
        StartupWait wait = new StartupWait("worker w1", Duration.ofMinutes(5), QUICK, now::get);
        StartupException e = assertThrows(StartupException.class, () -> wait.until("the topic", Duration.ofSeconds(1),
                t -> {
                    throw wait.fatal("not authorized to create it", CAUSE);
                }));
        assertEquals("worker w1: not authorized to create it: " + CAUSE, e.getMessage());
        assertFalse(e.stopped());
    }

    @Test
    void formatsDurationsTheWayPeopleWriteThem() {
        assertEquals("250ms", StartupWait.format(Duration.ofMillis(250)));
        assertEquals("1.5s", StartupWait.format(Duration.ofMillis(1_500)));
        assertEquals("15s", StartupWait.format(Duration.ofSeconds(15)));
        assertEquals("5m", StartupWait.format(Duration.ofMinutes(5)));
        assertEquals("1m30s", StartupWait.format(Duration.ofSeconds(90)));
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StartupWait("x", Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new StartupWait("x", null));
    }
}
