package io.kdispatch.schemas.startup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a component start in any order with what it depends on: each start-up step (the cluster
 * answers, the shared topics exist, the registry answers, ...) is retried with {@link Backoff}
 * until it succeeds, for up to {@code limit} in total, counted from the first step.
 *
 * <p>Logging: the first time a step is not ready, one INFO line says what the component waits for
 * and why; then one WARN reminder every 30 s at most; one INFO line when it is ready after all.
 * Every line starts with the component's context (e.g. {@code worker w1}). No stack traces: waiting
 * is expected.
 *
 * <p>{@code limit} {@link Duration#ZERO} means one attempt per step and fail at once: the error is
 * then the plain reason, as if there were no waiting.
 *
 * <p>Threading: {@link #until} runs on one thread at a time (the starting one). {@link #cancel()}
 * may be called from any thread: it ends a pause at once and runs the {@link #onCancel} hooks, which
 * should make a blocking attempt return (e.g. close the client it waits on). Interrupting the
 * starting thread stops the wait as well. No thread is started.
 */
public final class StartupWait {
    /** Default {@code limit}, in minutes (a constant so that command-line defaults can name it). */
    public static final int DEFAULT_LIMIT_MINUTES = 5;
    /** Default {@code limit}: long enough for a broker, a registry or a dispatcher to come up. */
    public static final Duration DEFAULT_LIMIT = Duration.ofMinutes(DEFAULT_LIMIT_MINUTES);
    /** Default bound of one attempt (one request, one connection try). */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(15);
    /** Shortest attempt once little of the limit is left: a request needs some time to succeed. */
    private static final Duration MIN_ATTEMPT = Duration.ofMillis(200);
    /**
     * Bound of a step's first try while waiting; it doubles with each failure up to the caller's bound.
     * Shorter than that bound so that the first log line comes within seconds when, say, the broker is
     * down (a Kafka client keeps retrying a refused connection until its timeout); long enough that a
     * healthy cluster on a loaded machine answers a first request in time (1 s was not: a fresh JVM's
     * first request took longer and logged a false alarm); growing so that a slow but working cluster
     * still gets the caller's whole bound.
     */
    private static final Backoff ATTEMPT_GROWTH = new Backoff(Duration.ofSeconds(5), Duration.ofDays(1));
    static final Duration REMINDER_INTERVAL = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(StartupWait.class);

    private final String context;
    private final Duration limit;
    private final Backoff backoff;
    private final LongSupplier nanoTime;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final List<Runnable> cancelHooks = new CopyOnWriteArrayList<>();
    private volatile String waitingFor;
    private long firstStepNanos;
    private boolean begun;

    /**
     * @param context what is starting, prefixed to every log line and message (e.g. {@code worker w1})
     * @param limit how long to keep retrying in total; {@link Duration#ZERO} fails at once
     */
    public StartupWait(String context, Duration limit) {
        this(context, limit, Backoff.DEFAULT, System::nanoTime);
    }

    StartupWait(String context, Duration limit, Backoff backoff, LongSupplier nanoTime) {
        this.context = Objects.requireNonNull(context, "context");
        this.limit = requireLimit(limit);
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Checks a wait limit.
     *
     * @throws IllegalArgumentException when it is null or negative
     */
    public static Duration requireLimit(Duration limit) {
        if (limit == null || limit.isNegative()) {
            throw new IllegalArgumentException("the start-up wait limit must be zero (fail at once) or positive, was "
                    + limit);
        }
        return limit;
    }

    /** One try of a step. */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * @param timeout how long this try may block
         * @return {@link Outcome#ready} or {@link Outcome#notReady}; throw {@link #fatal} for failures
         *     waiting cannot cure
         */
        Outcome<T> run(Duration timeout) throws InterruptedException;
    }

    /** What one try found. */
    public sealed interface Outcome<T> permits Ready, NotReady {
        static <T> Outcome<T> ready(T value) {
            return new Ready<>(value);
        }

        /**
         * @param reason what is wrong and what to check, as the error would say it
         * @param cause the failure behind it, or null
         */
        static <T> Outcome<T> notReady(String reason, Throwable cause) {
            return new NotReady<>(reason, cause);
        }
    }

    /** The step succeeded. */
    public record Ready<T>(T value) implements Outcome<T> {
    }

    /** Not yet: worth trying again. */
    public record NotReady<T>(String reason, Throwable cause) implements Outcome<T> {
        public NotReady {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Runs {@code attempt} until it is ready, pausing with backoff in between.
     *
     * @param what the awaited condition, for the log (e.g. {@code the shared topics [a, b]})
     * @param attemptTimeout the longest one try may block; less when little of the limit is left
     * @return the ready value
     * @throws StartupException when the limit is reached, the wait is stopped, or a try failed for good
     */
    public <T> T until(String what, Duration attemptTimeout, Attempt<T> attempt) {
        beginOnce();
        long stepBegin = nanoTime.getAsLong();
        int failures = 0;
        long loggedAt = 0;
        while (true) {
            Outcome<T> outcome = tryOnce(what, attemptTimeout(attemptTimeout, failures), attempt);
            if (outcome instanceof Ready<T> ready) {
                finish(what, failures, stepBegin);
                return ready.value();
            }
            NotReady<T> notReady = (NotReady<T>) outcome;
            Duration remaining = remaining();
            if (limit.isZero() || remaining.isZero()) {
                waitingFor = null;
                throw gaveUp(notReady);
            }
            waitingFor = what;
            failures++;
            loggedAt = report(what, notReady, failures, loggedAt, stepBegin);
            pause(what, min(backoff.delay(failures), remaining));
        }
    }

    /** A failure waiting cannot cure, with the context prefixed; throw it from an {@link Attempt}. */
    public StartupException fatal(String reason, Throwable cause) {
        return new StartupException(context + ": " + reason + causeText(cause), cause, false);
    }

    /** Stops the wait: a pause ends at once, the cancel hooks run, {@link #until} throws. Idempotent. */
    public void cancel() {
        if (cancelled.getCount() == 0) {
            return;
        }
        cancelled.countDown();
        for (Runnable hook : cancelHooks) {
            runQuietly(hook);
        }
    }

    /** True once {@link #cancel()} was called (or the waiting thread was interrupted). */
    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /**
     * Runs {@code hook} on {@link #cancel()}, or at once when already cancelled. Hooks must be quick and
     * idempotent (they may run after the step they were meant for has finished).
     */
    public void onCancel(Runnable hook) {
        cancelHooks.add(Objects.requireNonNull(hook, "hook"));
        if (isCancelled()) {
            runQuietly(hook);
        }
    }

    /** The condition being waited for right now, empty while no step is failing. */
    public Optional<String> waitingFor() {
        return Optional.ofNullable(waitingFor);
    }

    /** The wait limit. */
    public Duration limit() {
        return limit;
    }

    /** Durations the way people write them: {@code 250ms}, {@code 15s}, {@code 5m}, {@code 1m30s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        long s = ms / 1_000;
        if (s < 60) {
            return ms % 1_000 == 0 || s >= 10 ? s + "s" : String.format("%.1fs", ms / 1_000.0);
        }
        long m = s / 60;
        return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
    }

    private <T> Outcome<T> tryOnce(String what, Duration timeout, Attempt<T> attempt) {
        throwIfStopped(what, null);
        try {
            Outcome<T> outcome = Objects.requireNonNull(attempt.run(timeout), "outcome");
            if (outcome instanceof NotReady<T> notReady) {
                throwIfStopped(what, notReady.cause());
            }
            return outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw stopped(what, e);
        } catch (RuntimeException e) {
            // A client closed by a cancel hook fails its pending call: that is the stop, not an error.
            throwIfStopped(what, e);
            throw e;
        }
    }

    private void beginOnce() {
        if (!begun) {
            begun = true;
            firstStepNanos = nanoTime.getAsLong();
        }
    }

    private Duration attemptTimeout(Duration max, int failures) {
        if (limit.isZero()) {
            return max;
        }
        Duration remaining = remaining();
        Duration bound = min(max, ATTEMPT_GROWTH.delay(failures + 1));
        return min(bound, remaining.compareTo(MIN_ATTEMPT) < 0 ? MIN_ATTEMPT : remaining);
    }

    private Duration elapsed() {
        return Duration.ofNanos(nanoTime.getAsLong() - firstStepNanos);
    }

    private Duration remaining() {
        Duration left = limit.minus(elapsed());
        return left.isNegative() ? Duration.ZERO : left;
    }

    private long report(String what, NotReady<?> notReady, int failures, long loggedAt, long stepBegin) {
        long now = nanoTime.getAsLong();
        if (failures == 1) {
            log.info("{}: {}; waiting up to {} in all, retrying with backoff", context, notReady.reason(),
                    format(limit));
            return now;
        }
        if (now - loggedAt >= REMINDER_INTERVAL.toNanos()) {
            log.warn("{}: still waiting for {} after {} (giving up {} after the start): {}", context, what,
                    format(Duration.ofNanos(now - stepBegin)), format(limit), notReady.reason());
            return now;
        }
        return loggedAt;
    }

    private void finish(String what, int failures, long stepBegin) {
        waitingFor = null;
        if (failures > 0) {
            log.info("{}: done waiting for {} (after {})", context, what,
                    format(Duration.ofNanos(nanoTime.getAsLong() - stepBegin)));
        }
    }

    private void pause(String what, Duration delay) {
        try {
            if (cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                throw stopped(what, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw stopped(what, e);
        }
    }

    private void throwIfStopped(String what, Throwable cause) {
        if (isCancelled()) {
            throw stopped(what, cause);
        }
    }

    private StartupException stopped(String what, Throwable cause) {
        waitingFor = null;
        return new StartupException(context + ": stopped while waiting for " + what, cause, true);
    }

    private StartupException gaveUp(NotReady<?> notReady) {
        String waited = limit.isZero() ? "" : " (gave up after waiting " + format(elapsed()) + ")";
        return new StartupException(context + ": " + notReady.reason() + causeText(notReady.cause()) + waited,
                notReady.cause(), false);
    }

    private static String causeText(Throwable cause) {
        return cause == null ? "" : ": " + cause;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void runQuietly(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            log.debug("cancel hook failed: {}", e.toString());
        }
    }
}
