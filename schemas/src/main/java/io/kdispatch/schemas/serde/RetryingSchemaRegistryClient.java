package io.kdispatch.schemas.serde;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits out a registry that is briefly away: a request that fails in a way retrying may cure
 * ({@link SchemaRegistryException#isRetriable()}: no answer, HTTP 408, 429, 5xx) is sent again, with a
 * backoff from 100 ms doubling to 2 s, until it succeeds or {@link SerdeConfig#retryTimeout()} has passed
 * since the first failure; then the last failure is thrown. Any other failure (404, 409, 401...) is
 * thrown at once, and answers the delegate has cached never reach the registry, so a registry restart
 * costs nothing to a client that already knows its schemas.
 *
 * <p>Why here: the same outage reaches a Kafka Streams thread, a worker's poll loop and a producer's
 * send, and none of them should see a failure for a registry restart that lasts seconds. Past the bound
 * the failure surfaces, still a {@link SchemaRegistryException} (never a serialization error), for the
 * caller to retry later: the dispatcher's exception handlers never dead-letter it.
 *
 * <p>One case does not wait: registering (or looking up) a schema under a subject this client has not used
 * yet while it already holds an ID for the very same schema under another subject. The dispatcher meets it
 * when it first writes to a new worker's topic ({@code <prefix>.worker.<id>-value}) during an outage. It
 * then writes with the ID it holds, which names the same schema for every reader (readers only resolve IDs),
 * instead of stopping all dispatching until the registry answers; it tries that subject again at most every
 * {@value #FALLBACK_RETRY_MS} ms and uses the registry's own answer from then on. The subject's compatibility
 * check is skipped only for a schema the registry has already accepted.
 *
 * <p>Blocks the calling thread while it waits; an interrupt ends the wait with the last failure (the
 * thread stays interrupted). One WARN line per outage and one INFO line when the registry answers
 * again. Thread-safe. {@link #ping()} is not retried: start-up waits have their own loop.
 */
final class RetryingSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingSchemaRegistryClient.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2_000;
    static final long FALLBACK_RETRY_MS = 5_000;

    private final SchemaRegistryClient delegate;
    private final Duration timeout;
    private final AtomicBoolean away = new AtomicBoolean();
    /** Subjects written with a known ID of another subject, and when to ask the registry again (nanos). */
    private final Map<String, Long> fallbackUntil = new ConcurrentHashMap<>();

    RetryingSchemaRegistryClient(SchemaRegistryClient delegate, Duration timeout) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public int register(String subject, Schema schema) {
        return withFallback(subject, schema, () -> delegate.register(subject, schema));
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return withFallback(subject, schema, () -> delegate.lookup(subject, schema));
    }

    @Override
    public OptionalInt knownId(Schema schema) {
        return delegate.knownId(schema);
    }

    private int withFallback(String subject, Schema schema, Supplier<Integer> request) {
        Long until = fallbackUntil.get(subject);
        if (until != null && System.nanoTime() - until < 0) {
            OptionalInt known = delegate.knownId(schema);
            if (known.isPresent()) {
                return known.getAsInt();
            }
        }
        try {
            int id = request.get(); // answered from the delegate's cache when it knows the subject
            if (until != null && fallbackUntil.remove(subject) != null) {
                LOG.info("{}: subject '{}' is registered now (id {})", delegate, subject, id);
            }
            return id;
        } catch (SchemaRegistryException e) {
            OptionalInt known = e.isRetriable() ? delegate.knownId(schema) : OptionalInt.empty();
            if (known.isEmpty()) {
                return e.isRetriable() && !timeout.isZero() ? retried(request) : rethrow(e);
            }
            if (fallbackUntil.put(subject, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FALLBACK_RETRY_MS))
                    == null) {
                LOG.warn("{}: schema registry unavailable; writing subject '{}' with id {}, which this client holds "
                        + "for the same schema {} under another subject, until the registry answers: {}", delegate,
                        subject, known.getAsInt(), schema.getFullName(), e.getMessage());
            }
            return known.getAsInt();
        }
    }

    private static int rethrow(SchemaRegistryException e) {
        throw e;
    }

    @Override
    public Schema getById(int id) {
        return retried(() -> delegate.getById(id));
    }

    @Override
    public void ping() {
        delegate.ping();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate + " (retrying for " + timeout.toMillis() + " ms)";
    }

    private <T> T retried(Supplier<T> request) {
        long deadline = 0;
        long backoffMs = FIRST_BACKOFF_MS;
        while (true) {
            try {
                T answer = request.get();
                if (away.compareAndSet(true, false)) {
                    LOG.info("{}: the schema registry answers again", delegate);
                }
                return answer;
            } catch (SchemaRegistryException e) {
                if (!e.isRetriable() || timeout.isZero()) {
                    throw e;
                }
                long now = System.nanoTime();
                deadline = deadline == 0 ? now + timeout.toNanos() : deadline;
                if (now - deadline >= 0 || !pause(Math.min(backoffMs, remainingMillis(deadline)))) {
                    throw e;
                }
                if (away.compareAndSet(false, true)) {
                    LOG.warn("{}: schema registry unavailable, retrying for up to {} ms ({}): {}", delegate,
                            timeout.toMillis(), SerdeConfig.RETRY_TIMEOUT_MS, e.getMessage());
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** @return false when interrupted (the flag is set again) */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis); // backoff between registry retries, bounded by the retry timeout
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
