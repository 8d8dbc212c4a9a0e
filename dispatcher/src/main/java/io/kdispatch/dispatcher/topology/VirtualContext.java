package io.kdispatch.dispatcher.topology;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The little of Kafka Streams a processor of this topology uses, in virtual time: its stores, its clock
 * (read from the {@link VirtualDispatcher}), forwarding (handed to a consumer at once) and one
 * wall-clock punctuation, which the dispatcher runs when its virtual clock says so. No serdes, no
 * metrics, no commits. Not thread-safe.
 *
 * <p>Written by hand because Kafka Streams' own stand-in, {@code MockProcessorContext}, lives in
 * kafka-streams-test-utils, an optional dependency left out of the CLI jar that runs {@code simulate}, and
 * it collects forwarded records in a list where the simulator must react to each as it is forwarded.
 */
final class VirtualContext<K, V> implements ProcessorContext<K, V> {
    private final TaskId taskId;
    private final Map<String, StateStore> stores;
    private final LongSupplier clock;
    private final Consumer<Object> forwarded;
    private Punctuator punctuator;
    private Duration interval;

    VirtualContext(TaskId taskId, Map<String, StateStore> stores, LongSupplier clock, Consumer<Object> forwarded) {
        this.taskId = taskId;
        this.stores = stores;
        this.clock = clock;
        this.forwarded = forwarded;
    }

    /** Runs the scheduled punctuation, if any, at the current virtual time. */
    void punctuate() {
        if (punctuator != null) {
            punctuator.punctuate(clock.getAsLong());
        }
    }

    /** The interval of the scheduled punctuation, or null when none is scheduled. */
    Duration interval() {
        return interval;
    }

    @Override
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record) {
        forwarded.accept(record.value());
    }

    @Override
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record, String childName) {
        forward(record);
    }

    @Override
    public String applicationId() {
        return "kdispatch-simulation";
    }

    @Override
    public TaskId taskId() {
        return taskId;
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.empty();
    }

    @Override
    public Serde<?> keySerde() {
        throw new UnsupportedOperationException("no serdes in virtual time");
    }

    @Override
    public Serde<?> valueSerde() {
        throw new UnsupportedOperationException("no serdes in virtual time");
    }

    @Override
    public File stateDir() {
        throw new UnsupportedOperationException("no state directory in virtual time");
    }

    @Override
    public StreamsMetrics metrics() {
        throw new UnsupportedOperationException("no Streams metrics in virtual time");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends StateStore> S getStateStore(String name) {
        S store = (S) stores.get(name);
        if (store == null) {
            throw new IllegalArgumentException("no store " + name);
        }
        return store;
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
        if (type != PunctuationType.WALL_CLOCK_TIME || punctuator != null) {
            throw new UnsupportedOperationException("virtual time runs one wall-clock punctuation per processor");
        }
        this.punctuator = callback;
        this.interval = interval;
        return () -> punctuator = null;
    }

    @Override
    public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
        return schedule(interval, type, callback);
    }

    @Override
    public void commit() {
    }

    @Override
    public Map<String, Object> appConfigs() {
        return Map.of();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return Map.of();
    }

    @Override
    public long currentSystemTimeMs() {
        return clock.getAsLong();
    }

    @Override
    public long currentStreamTimeMs() {
        return clock.getAsLong();
    }
}
