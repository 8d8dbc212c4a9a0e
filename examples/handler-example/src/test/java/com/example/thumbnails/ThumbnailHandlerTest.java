package com.example.thumbnails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.testkit.HandlerRun;
import io.kdispatch.testkit.HandlerTestKit;
import io.kdispatch.testkit.RunningHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The handler, run as a worker runs it, with no broker: what it would publish. */
class ThumbnailHandlerTest {
    private final HandlerTestKit kit = HandlerTestKit.of(new ThumbnailHandler((from, to) -> { }));

    @Test
    void aThumbnailKeepsTheAspectRatio() {
        HandlerRun run = kit.run(ThumbnailTasks.thumbnail("1", "holiday", 1920, 1080));
        assertEquals(ResultStatus.SUCCEEDED, run.status());
        assertEquals("128x72", new String(run.output(), StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedPayloadFailsTheAttemptWithItsReason() {
        Task bad = Task.newBuilder(ThumbnailTasks.thumbnail("2", "holiday", 10, 10))
                .setPayload(ByteBuffer.wrap("huge".getBytes(StandardCharsets.UTF_8))).build();
        HandlerRun run = kit.run(bad);
        assertEquals(ResultStatus.FAILED, run.status());
        assertEquals("payload must be WIDTHxHEIGHT, was 'huge'", run.error());
    }

    @Test
    void aTallImageRenewsItsLeaseAfterEveryBandButTheLast() {
        HandlerRun run = kit.run(ThumbnailTasks.thumbnail("3", "scans", 800, 3_500));
        assertEquals(ResultStatus.SUCCEEDED, run.status());
        assertEquals(3, run.leaseExtensions().size());
    }

    @Test
    void aTaskPastItsDeadlineIsNotRun() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        Task late = Task.newBuilder(ThumbnailTasks.thumbnail("4", "holiday", 10, 10))
                .setDeadline(now.minusSeconds(1)).build();
        HandlerRun run = kit.withClock(Clock.fixed(now, ZoneOffset.UTC)).run(late);
        assertFalse(run.ran());
        assertEquals(ResultStatus.FAILED, run.status());
    }

    @Test
    void aCancelledThumbnailStopsAndPublishesNothing() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        HandlerTestKit blocking = HandlerTestKit.of(new ThumbnailHandler((from, to) -> {
            started.countDown();
            never.await();
        }));
        try (RunningHandler running = blocking.start(ThumbnailTasks.thumbnail("5", "holiday", 4_000, 3_000))) {
            assertTrue(started.await(10, TimeUnit.SECONDS));
            running.cancel();
            HandlerRun run = running.await(Duration.ofSeconds(10));
            assertTrue(run.ran());
            assertFalse(run.published());
        }
    }
}
