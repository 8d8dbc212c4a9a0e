package io.kdispatch.dispatcher.lag;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures lag with a {@link LagReader} every {@link LagSettings#interval()} on one thread named
 * {@code kdispatch-lag-monitor}, keeps the latest {@link LagSnapshot} and hands each new one to a
 * listener (the Micrometer gauges). A failed measurement is logged once per outage (WARN) and the
 * previous snapshot stays.
 *
 * <p>Thread-safe: {@link #snapshot()} may be called from any thread. {@link #close()} stops the thread
 * and closes the reader; it is idempotent.
 */
public final class LagMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

    private final LagSettings settings;
    private final LagReader reader;
    private final Consumer<LagSnapshot> listener;
    private final ScheduledExecutorService scheduler;
    private volatile LagSnapshot latest = LagSnapshot.empty();
    private boolean failing;
    private boolean started;
    private boolean closed;

    /** @param listener called on the monitor thread with every new snapshot; must not block */
    public LagMonitor(LagSettings settings, LagReader reader, Consumer<LagSnapshot> listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kdispatch-lag-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts measuring now and then every interval. Fails when closed; a second call does nothing. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("lag monitor is closed");
        }
        if (!started) {
            started = true;
            scheduler.scheduleWithFixedDelay(this::measure, 0, settings.interval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The latest measurement; {@link LagSnapshot#empty()} before the first one succeeds. */
    public LagSnapshot snapshot() {
        return latest;
    }

    private void measure() {
        try {
            LagSnapshot snapshot = reader.read();
            latest = snapshot;
            if (failing) {
                log.info("Lag measurement works again ({} worker topics)", snapshot.workers().size());
                failing = false;
            }
            listener.accept(snapshot);
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Lag measurement failed, keeping the previous snapshot: {}", e.getMessage());
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(settings.requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                log.warn("Lag monitor thread did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.close();
    }
}
