package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.control.ControlKeys;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.ControlCommand;
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
 * <p>Every command is validated again with {@link ControlKeys}: clients validate before writing, but a
 * record written by other means must not break routing, so an invalid one is logged at WARN and ignored.
 * Each effective change is logged once per dispatcher instance (one global thread per instance) and
 * counted. On start the topic is replayed, so the current settings are logged once more then.
 */
final class ControlProcessor implements Processor<String, ControlCommand, Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(ControlProcessor.class);

    private final DispatchMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, String> store;

    ControlProcessor(DispatchMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.CONTROL);
    }

    @Override
    public void process(Record<String, ControlCommand> record) {
        String key = record.key();
        ControlCommand command = record.value();
        if (key == null) {
            log.warn("Ignored control record without a key at {}", where());
            return;
        }
        if (command != null && !key.equals(command.getKey())) {
            log.warn("Ignored control record at {}: record key '{}' differs from its setting key '{}'", where(), key,
                    command.getKey());
            return;
        }
        String value;
        try {
            value = command == null ? null : ControlKeys.normalize(key, command.getValue());
        } catch (IllegalArgumentException e) {
            log.warn("Ignored control record at {} by {}: {}", where(), issuer(command), e.getMessage());
            return;
        }
        String previous = store.get(key);
        if (java.util.Objects.equals(previous, value)) {
            return;
        }
        if (value == null) {
            store.delete(key);
        } else {
            store.put(key, value);
        }
        metrics.configChanged(key);
        log.info("config {} = {} (was {}) by {}", key, value == null ? "default" : value,
                previous == null ? "default" : previous, issuer(command));
    }

    private static String issuer(ControlCommand command) {
        return command == null || command.getIssuedBy().isEmpty() ? "unknown" : command.getIssuedBy();
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }
}
