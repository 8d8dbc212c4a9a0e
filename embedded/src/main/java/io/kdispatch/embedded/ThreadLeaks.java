package io.kdispatch.embedded;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Finds threads that something started and did not stop: take a {@link #snapshot()}, run the
 * code under test, close it, then {@link #awaitNoneStartedSince(Set, Duration)}.
 *
 * <p>Threads the JVM starts on demand for everyone (the common fork-join pool, the cleaner, the
 * process reaper, HTTP keep-alive timers and the like) and the few that libraries start once per
 * JVM and never stop (Yammer's meter ticks under Kafka's broker metrics) are never reported: no
 * component owns them.
 *
 * <p>Thread safety: all methods are stateless and may be called from any thread. Works without
 * JUnit; failures are {@link AssertionError}s so that any test framework reports them.
 */
public final class ThreadLeaks {

    private static final Set<String> JVM_THREAD_NAMES = Set.of(
            "Common-Cleaner", "Attach Listener", "Signal Dispatcher", "Reference Handler", "Finalizer",
            "Notification Thread", "process reaper", "Keep-Alive-Timer", "Keep-Alive-SocketCleaner",
            "DestroyJavaVM", "JFR Recorder Thread", "JFR Periodic Tasks", "JFR Shutdown Hook");
    /**
     * Threads a library starts once for the whole JVM and never ends, so no component can be
     * blamed for them: Yammer's meter ticks, started by the first Kafka broker's metrics registry
     * (a static singleton in {@code KafkaYammerMetrics}).
     */
    private static final List<String> JVM_WIDE_LIBRARY_THREAD_PREFIXES = List.of("metrics-meter-tick-thread-");
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int FRAMES_SHOWN = 2;

    private ThreadLeaks() {
    }

    /** The threads alive now. The returned set compares threads by identity. */
    public static Set<Thread> snapshot() {
        Set<Thread> threads = Collections.newSetFromMap(new IdentityHashMap<>());
        threads.addAll(Thread.getAllStackTraces().keySet());
        return threads;
    }

    /** Alive threads that are not in {@code before} and not owned by the JVM as a whole, by name. */
    public static List<Thread> startedSince(Set<Thread> before) {
        Objects.requireNonNull(before, "before must be a snapshot() taken earlier");
        return snapshot().stream()
                .filter(thread -> !before.contains(thread))
                .filter(Thread::isAlive)
                .filter(thread -> !isOwnerless(thread))
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .collect(Collectors.toList());
    }

    /**
     * Waits until every thread started since {@code before} has ended, polling until
     * {@code timeout} has passed.
     *
     * @throws AssertionError naming each leaked thread with its top stack frames
     */
    public static void awaitNoneStartedSince(Set<Thread> before, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> leaked = startedSince(before);
        while (!leaked.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
            leaked = startedSince(before);
        }
        if (!leaked.isEmpty()) {
            throw new AssertionError(leaked.size() + " thread(s) still alive " + timeout.toMillis()
                    + " ms after close:\n" + describe(leaked));
        }
    }

    private static boolean isOwnerless(Thread thread) {
        if (thread instanceof ForkJoinWorkerThread worker && worker.getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        String name = thread.getName();
        return JVM_THREAD_NAMES.contains(name)
                || JVM_WIDE_LIBRARY_THREAD_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static String describe(List<Thread> threads) {
        return threads.stream()
                .map(thread -> "  \"" + thread.getName() + "\" (" + thread.getState()
                        + (thread.isDaemon() ? ", daemon" : "") + ")"
                        + Arrays.stream(thread.getStackTrace()).limit(FRAMES_SHOWN)
                                .map(frame -> "\n      at " + frame)
                                .collect(Collectors.joining()))
                .collect(Collectors.joining("\n"));
    }
}
