package io.kdispatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A handler run as the worker runs it: the context it sees and the result the worker would publish. */
class HandlerTestKitTest {
    private static final Instant NOW = Instant.parse("2026-05-01T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Task task(String payload) {
        return Task.newBuilder().setId("t-1").setType("upper").setAffinityKey("k")
                .setPayload(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))).build();
    }

    @Test
    void theHandlerSeesItsAttemptAndTheResultIsTheWorkersOwn() {
        HandlerTestKit kit = HandlerTestKit.of(ctx -> (ctx.workerId() + "/" + ctx.attempt() + "/"
                + new String(ctx.payload(), StandardCharsets.UTF_8).toUpperCase()).getBytes(StandardCharsets.UTF_8))
                .withWorkerId("w-7").withIncarnation(42).withClock(CLOCK);

        HandlerRun run = kit.run(task("abc"), 3);

        assertThat(run.status()).isEqualTo(ResultStatus.SUCCEEDED);
        assertThat(new String(run.output(), StandardCharsets.UTF_8)).isEqualTo("w-7/3/ABC");
        assertThat(run.result().getWorkerIncarnation()).isEqualTo(42);
        assertThat(run.result().getStartedAt()).isEqualTo(NOW);
        assertThat(run.assignment().getRoutingKey()).isEqualTo("k");
        assertThat(run.ran()).isTrue();
    }

    @Test
    void aHandlerThatThrowsFailsTheAttemptWithItsMessage() {
        HandlerRun run = HandlerTestKit.of(ctx -> {
            throw new IllegalStateException("no such image");
        }).run(task("x"));
        assertThat(run.status()).isEqualTo(ResultStatus.FAILED);
        assertThat(run.error()).isEqualTo("no such image");
        assertThat(run.output()).isNull();
    }

    @Test
    void aTaskPastItsDeadlineOnTheKitsClockIsNotRun() {
        AtomicBoolean called = new AtomicBoolean();
        HandlerTestKit kit = HandlerTestKit.of(ctx -> {
            called.set(true);
            return null;
        }).withClock(CLOCK);

        HandlerRun late = kit.run(Task.newBuilder(task("x")).setDeadline(NOW.minusMillis(1)).build());
        HandlerRun inTime = kit.run(Task.newBuilder(task("x")).setDeadline(NOW.plusMillis(1)).build());

        assertThat(late.ran()).isFalse();
        assertThat(late.status()).isEqualTo(ResultStatus.FAILED);
        assertThat(late.error()).contains("was not run");
        assertThat(inTime.status()).isEqualTo(ResultStatus.SUCCEEDED);
        assertThat(called).isTrue();
    }

    @Test
    void leaseExtensionsAreRecordedOnTheKitsClock() {
        HandlerRun run = HandlerTestKit.of(ctx -> {
            ctx.extendLease();
            ctx.extendLease();
            return null;
        }).withClock(CLOCK).withLease(Duration.ofSeconds(30)).run(task("x"));
        assertThat(run.leaseExtensions()).containsExactly(NOW, NOW);
        assertThat(run.assignment().getLeaseMs()).isEqualTo(30_000);
    }

    @Test
    void aCancelledRunIsInterruptedAndPublishesNothing() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        HandlerTestKit kit = HandlerTestKit.of(ctx -> {
            started.countDown();
            new CountDownLatch(1).await(); // until interrupted
            return null;
        });
        try (RunningHandler running = kit.start(task("x"))) {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(running.isDone()).isFalse();
            running.cancel();
            HandlerRun run = running.await(Duration.ofSeconds(10));
            assertThat(run.ran()).isTrue();
            assertThat(run.published()).isFalse();
            assertThat(run.status()).isNull();
        }
    }

    @Test
    void awaitIsBoundedForAHandlerStillRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RunningHandler running = HandlerTestKit.of(ctx -> {
            release.await();
            return null;
        }).start(task("x"))) {
            assertThatThrownBy(() -> running.await(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            release.countDown();
            assertThat(running.await(Duration.ofSeconds(10)).status()).isEqualTo(ResultStatus.SUCCEEDED);
        }
    }
}
