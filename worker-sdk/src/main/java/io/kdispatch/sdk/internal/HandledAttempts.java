package io.kdispatch.sdk.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attempts this run of the worker has already acted on (taken, rejected or skipped), so that an
 * assignment read a second time is not run a second time. The consumer goes back to the last committed
 * offset after a rebalance, and a broker outage can cause one: the fault suite saw 41 to 61 attempts run
 * twice per two outages of the only broker. The dispatcher never sends one attempt twice, and a new run
 * of the worker skips everything sent to the old one, so remembering within one run is enough.
 *
 * <p>Bounded: what is read again reaches back at most to the last commit, which trails the newest
 * assignment by the worker's in-flight and queued tasks plus a commit interval; {@link #REMEMBERED} is far
 * beyond that. Used by the poll thread only; not thread-safe.
 */
final class HandledAttempts {
    /** Attempts remembered, the oldest forgotten first (about 100 bytes each). */
    static final int REMEMBERED = 16_384;

    private final Map<String, Boolean> handled;

    HandledAttempts() {
        this(REMEMBERED);
    }

    HandledAttempts(int remembered) {
        this.handled = new LinkedHashMap<>(Math.min(remembered, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remembered;
            }
        };
    }

    /** True the first time this run sees attempt {@code attempt} of {@code taskId}; false afterwards. */
    boolean firstTime(String taskId, int attempt) {
        return handled.putIfAbsent(attempt + "/" + taskId, Boolean.TRUE) == null;
    }
}
