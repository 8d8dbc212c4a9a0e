package io.kdispatch.dispatcher.capacity;

import io.kdispatch.dispatcher.simulate.Trace;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes {@link CapacityEstimate} every {@link CapacitySettings#interval()} on one low-priority thread named
 * {@code kdispatch-capacity-monitor}: records the last {@link CapacitySettings#window()} of the topics and hands
 * the workers needed per kind to a listener (the gauge). A failed estimate is logged once per outage (WARN) and
 * the previous one stays. Each estimate simulates the window a few times per kind ({@code 2 log2(max)} runs),
 * off the stream threads. {@link #close()} stops the thread; it is idempotent.
 */
public final class CapacityMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CapacityMonitor.class);

    private final CapacitySettings settings;
    private final BiFunction<Instant, Instant, Trace> recorder;
    private final Consumer<Map<String, Integer>> listener;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile Map<String, Integer> latest = Map.of();
    private boolean failing;
    private boolean started;

    /**
     * @param recorder reads the topics from one instant to another (a {@code TraceRecorder})
     * @param listener called on the monitor thread with every new estimate
     */
    public CapacityMonitor(CapacitySettings settings, BiFunction<Instant, Instant, Trace> recorder,
                           Consumer<Map<String, Integer>> listener, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kdispatch-capacity-monitor");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** Estimates after one interval and then every interval; a second call does nothing. */
    public synchronized void start() {
        if (!started && settings.enabled()) {
            started = true;
            long every = settings.interval().toMillis();
            scheduler.scheduleWithFixedDelay(this::estimate, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The latest estimate: workers needed per kind; empty before the first one. */
    public Map<String, Integer> latest() {
        return latest;
    }

    /** One estimate now, on the caller's thread (the monitor thread, or a test). */
    void estimate() {
        try {
            Instant now = clock.instant();
            Map<String, Integer> needed = CapacityEstimate.of(recorder.apply(now.minus(settings.window()), now),
                    settings);
            latest = Map.copyOf(needed);
            if (failing) {
                log.info("Capacity estimate works again: {}", needed);
                failing = false;
            }
            listener.accept(latest);
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Capacity estimate failed, keeping the previous one: {}", e.toString());
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Capacity monitor thread did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
