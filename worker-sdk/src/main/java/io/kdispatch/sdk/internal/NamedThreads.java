package io.kdispatch.sdk.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factory naming threads {@code <prefix>-<n>} (or {@code <prefix>} for a single one). */
final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final boolean numbered;
    private final AtomicInteger next = new AtomicInteger(1);

    private NamedThreads(String prefix, boolean numbered) {
        this.prefix = prefix;
        this.numbered = numbered;
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
    static NamedThreads numbered(String prefix) {
        return new NamedThreads(prefix, true);
    }

    /** Threads named exactly {@code name}. */
    static NamedThreads single(String name) {
        return new NamedThreads(name, false);
    }

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, numbered ? prefix + "-" + next.getAndIncrement() : prefix);
        thread.setDaemon(true);
        return thread;
    }
}
