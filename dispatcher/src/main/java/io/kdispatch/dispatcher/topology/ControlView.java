package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.control.ControlState;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the global {@code control} store as a {@link ControlState}: the settings the control processor
 * accepted, and the records it refused (kept under {@link ControlProcessor#REJECTED_PREFIX}), which the
 * state lists as {@link ControlState#invalid()}.
 *
 * <p>{@link #current()} scans the store on every call (it holds a few dozen keys at most) and returns
 * the previous instance while the content is unchanged, so callers can compare by identity
 * ({@code state != last}) to decide whether to rebuild anything. Meant to be called once per tick,
 * not per record. Not thread-safe: one view per stream task (or per admin request).
 */
public final class ControlView {
    private final ReadOnlyKeyValueStore<String, String> store;
    private Map<String, String> lastRaw = Map.of();
    private ControlState last = ControlState.EMPTY;

    /**
     * @param store the {@link StoreNames#CONTROL} global store: from {@code context.getStateStore} inside a
     *              processor, or from {@code KafkaStreams.store(...)} for interactive queries
     */
    public ControlView(ReadOnlyKeyValueStore<String, String> store) {
        this.store = store;
    }

    /** The settings as they are now; the same instance as last time when nothing changed. */
    public ControlState current() {
        Map<String, String> raw = new HashMap<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                raw.put(entry.key, entry.value);
            }
        }
        if (!raw.equals(lastRaw)) {
            lastRaw = raw;
            Map<String, String> settings = new HashMap<>();
            Map<String, String> rejected = new HashMap<>();
            raw.forEach((key, value) -> {
                if (key.startsWith(ControlProcessor.REJECTED_PREFIX)) {
                    rejected.put(key.substring(ControlProcessor.REJECTED_PREFIX.length()), value);
                } else {
                    settings.put(key, value);
                }
            });
            last = ControlState.of(settings, rejected);
        }
        return last;
    }
}
