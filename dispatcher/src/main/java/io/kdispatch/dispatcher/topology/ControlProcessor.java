package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.control.ControlKeys;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.ControlCommand;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the global {@code control} store (setting key → canonical value) from the compacted control
 * topic. A null value (or a tombstone) deletes the setting, which returns it to its default.
 *
 * <p>Every record is validated here, once, against the settings catalogue ({@link ControlKeys}): clients
 * validate before writing, but a record written by other means, or by a newer or older version, must not
 * stop or stall the dispatcher. A record this instance cannot apply (bytes that are not a
 * {@code ControlCommand}, no key or a mismatched one, a key it does not know, a value out of range) is
 * logged at WARN once, counted ({@link DispatchMetrics#controlRejected}) and ignored: the key keeps its
 * previous valid value, and the refusal is kept in the store under {@link #REJECTED_PREFIX} so that
 * {@code GET /config} lists it (until a valid record for the key replaces it). The values are decoded
 * here rather than by a source serde so that an unreadable record is counted like any other refusal.
 *
 * <p>Each effective change is logged once per dispatcher instance (one global thread per instance) and
 * counted. On start the topic is replayed, so current settings and refusals are logged once more then;
 * once compaction has removed a refused record's valid predecessor, a restarted instance uses the default.
 */
final class ControlProcessor implements Processor<String, byte[], Void, Void> {
    /** Store keys of refused records: this prefix and the record key. No valid setting key starts with NUL. */
    static final String REJECTED_PREFIX = "\u0000rejected:";
    private static final Logger log = LoggerFactory.getLogger(ControlProcessor.class);

    private final DispatchMetrics metrics;
    private final Deserializer<ControlCommand> commands;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, String> store;
    private final AtomicLong changes;

    /** @param changes counts applied changes, so dispatch processors apply them before their next record */
    ControlProcessor(DispatchMetrics metrics, Deserializer<ControlCommand> commands, AtomicLong changes) {
        this.metrics = metrics;
        this.commands = commands;
        this.changes = changes;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.CONTROL);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            reject(null, "malformed", "record without a key", null);
        } else if (record.value() == null) {
            reset(key);
        } else {
            ControlCommand command;
            try {
                command = commands.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(null),
                        record.value());
            } catch (SerializationException e) {
                reject(key, "unreadable", "not a ControlCommand this version reads (" + e.getMessage() + ")", null);
                return;
            }
            apply(key, command);
        }
    }

    private void apply(String key, ControlCommand command) {
        if (!key.equals(command.getKey())) {
            reject(key, "malformed", "record key differs from its setting key '" + command.getKey() + "'", command);
            return;
        }
        String value;
        try {
            value = ControlKeys.normalize(key, command.getValue());
        } catch (ControlKeys.InvalidKeyException e) {
            reject(key, "invalid-key", e.getMessage(), command);
            return;
        } catch (IllegalArgumentException e) {
            reject(key, "invalid-value", e.getMessage(), command);
            return;
        }
        change(key, value, issuer(command));
    }

    /** A tombstone: back to the default. For a key this version does not know there is nothing to reset. */
    private void reset(String key) {
        try {
            ControlKeys.normalize(key, null);
        } catch (IllegalArgumentException e) {
            store.delete(REJECTED_PREFIX + key);
            return;
        }
        change(key, null, "a tombstone");
    }

    private void change(String key, String value, String by) {
        store.delete(REJECTED_PREFIX + key);
        String previous = store.get(key);
        if (Objects.equals(previous, value)) {
            return;
        }
        if (value == null) {
            store.delete(key);
        } else {
            store.put(key, value);
        }
        changes.incrementAndGet(); // after the write: a reader that sees the count sees the value
        metrics.configChanged(key);
        log.info("config {} = {} (was {}) by {}", key, value == null ? "default" : value,
                previous == null ? "default" : previous, by);
    }

    private void reject(String key, String reason, String detail, ControlCommand command) {
        metrics.controlRejected(reason);
        String kept = key == null ? null : store.get(key);
        log.warn("Ignored control record at {} for key '{}' by {} ({}): {}; the setting keeps {}", where(), key,
                issuer(command), reason, detail, kept == null ? "its default" : "'" + kept + "'");
        if (key != null) {
            store.put(REJECTED_PREFIX + key, reason + ": " + detail);
        }
    }

    private static String issuer(ControlCommand command) {
        return command == null || command.getIssuedBy().isEmpty() ? "unknown" : command.getIssuedBy();
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }
}
