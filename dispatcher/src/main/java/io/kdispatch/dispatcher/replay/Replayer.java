package io.kdispatch.dispatcher.replay;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies tasks from a source topic back to the intake, keyed by task ID, with {@link ReplayHeaders}.
 * Reads {@code read_committed} with an assign-only consumer (no group, nothing committed) up to the end
 * offsets captured at start, so it always ends; replays a task ID at most once per run. The dispatcher
 * treats a replayed ID whose assignment is closed as a fresh task (attempt 1).
 *
 * <p>{@link #run} runs on the caller's thread; it polls {@code stopRequested} between batches and returns
 * a report of how far it got when asked to stop. One instance runs once.
 */
public final class Replayer {
    private static final Logger log = LoggerFactory.getLogger(Replayer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final ReplayRequest request;
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Set<String> seen = new HashSet<>();
    private final Map<Integer, Long> next = new HashMap<>();
    private long total;
    private long read;
    private long filtered;
    private long unreadable;
    private long duplicates;
    private long startNanos;

    public Replayer(ReplayRequest request) {
        this.request = request;
    }

    /**
     * Runs the replay.
     *
     * @param stopRequested checked between batches; true stops the replay early (the report says so)
     * @param progress receives a report about once a second, on this thread
     * @throws IllegalArgumentException when the source topic does not exist
     */
    public ReplayReport run(BooleanSupplier stopRequested, Consumer<ReplayReport> progress) {
        ReplaySource source = request.source();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, Task> producer = request.dryRun() ? null : producer();
             SourceDecoder decoder = new SourceDecoder(source, request.serdes())) {
            Map<TopicPartition, Long> stopAt = position(consumer);
            startNanos = System.nanoTime();
            long lastProgress = startNanos;
            Set<TopicPartition> active = new HashSet<>(stopAt.keySet());
            active.removeIf(tp -> next.get(tp.partition()) >= stopAt.get(tp));
            boolean stopped = false;
            while (!active.isEmpty()) {
                if (stopRequested.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                step(consumer, decoder, producer, active, stopAt);
                if (System.nanoTime() - lastProgress >= 1_000_000_000L) {
                    lastProgress = System.nanoTime();
                    progress.accept(report(false));
                }
            }
            if (producer != null) {
                producer.flush();
            }
            if (firstFailure.get() != null) {
                log.warn("Replay to {} failed for {} records; first error: {}", request.topics().tasks(),
                        failed.get(), firstFailure.get());
            }
            return report(stopped);
        }
    }

    /** One poll: handles the records in range and retires partitions that reached their stop offset. */
    private void step(KafkaConsumer<byte[], byte[]> consumer, SourceDecoder decoder, KafkaProducer<String, Task> producer,
                      Set<TopicPartition> active, Map<TopicPartition, Long> stopAt) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (!active.contains(tp)) {
                continue;
            }
            if (r.offset() >= stopAt.get(tp) || request.range().isPastEnd(r.offset(), r.timestamp())) {
                finish(consumer, active, tp, stopAt.get(tp));
                continue;
            }
            handle(r, decoder, producer);
            next.put(tp.partition(), r.offset() + 1);
        }
        for (TopicPartition tp : List.copyOf(active)) {
            if (consumer.position(tp) >= stopAt.get(tp)) {
                finish(consumer, active, tp, stopAt.get(tp));
            }
        }
    }

    /** Seeks every partition to the range's start; returns where each one stops (exclusive). */
    private Map<TopicPartition, Long> position(KafkaConsumer<byte[], byte[]> consumer) {
        String topic = request.source().topic();
        var infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist (check --from and --topic-prefix)");
        }
        List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(tps);
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(tps);
        ReplayRange range = request.range();
        Map<TopicPartition, Long> byTime = new HashMap<>();
        if (range.fromTime() != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            tps.forEach(tp -> query.put(tp, range.fromTime().toEpochMilli()));
            consumer.offsetsForTimes(query).forEach((tp, found) -> byTime.put(tp, found == null ? ends.get(tp)
                    : found.offset()));
        }
        Map<TopicPartition, Long> stopAt = new HashMap<>();
        for (TopicPartition tp : tps) {
            long from = range.fromTime() != null ? byTime.get(tp)
                    : Math.max(begins.get(tp), range.fromOffset() == null ? 0 : range.fromOffset());
            long stop = range.toOffset() == null ? ends.get(tp) : Math.min(ends.get(tp), range.toOffset() + 1);
            consumer.seek(tp, from);
            next.put(tp.partition(), from);
            stopAt.put(tp, stop);
            total += Math.max(0, stop - from);
        }
        return stopAt;
    }

    private void finish(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> active, TopicPartition tp,
                        long stop) {
        active.remove(tp);
        consumer.pause(List.of(tp));
        next.put(tp.partition(), Math.max(next.get(tp.partition()), Math.min(stop, consumer.position(tp))));
    }

    private void handle(ConsumerRecord<byte[], byte[]> r, SourceDecoder decoder, KafkaProducer<String, Task> producer) {
        read++;
        SourceDecoder.Decoded decoded = decoder.decode(r);
        if (decoded instanceof SourceDecoder.Unreadable u) {
            unreadable++;
            log.warn("Skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), u.why());
            return;
        }
        ReplayCandidate c = ((SourceDecoder.Readable) decoded).candidate();
        if (!request.filter().matches(c)) {
            filtered++;
        } else if (!seen.add(c.task().getId())) {
            duplicates++;
        } else if (producer == null) {
            replayed.incrementAndGet();
        } else {
            pace();
            producer.send(record(r, c.task()), (metadata, error) -> {
                if (error == null) {
                    replayed.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, c.task().getId() + ": " + error.getMessage());
                }
            });
        }
    }

    private ProducerRecord<String, Task> record(ConsumerRecord<byte[], byte[]> source, Task task) {
        ProducerRecord<String, Task> out = new ProducerRecord<>(request.topics().tasks(), task.getId(), task);
        out.headers().add(ReplayHeaders.REPLAY, bytes("true"))
                .add(ReplayHeaders.SOURCE_TOPIC, bytes(source.topic()))
                .add(ReplayHeaders.SOURCE_PARTITION, bytes(Integer.toString(source.partition())))
                .add(ReplayHeaders.SOURCE_OFFSET, bytes(Long.toString(source.offset())));
        return out;
    }

    /** Holds the write rate to {@code --rate}: the n-th record waits until n / rate seconds after start. */
    private void pace() {
        if (request.rate() == 0) {
            return;
        }
        long sent = replayed.get() + failed.get();
        long due = startNanos + sent * 1_000_000_000L / request.rate();
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ReplayReport report(boolean interrupted) {
        Map<Integer, Long> positions = new HashMap<>(next);
        return new ReplayReport(request.source().topic(), total, read, replayed.get(), filtered, unreadable,
                duplicates, failed.get(), request.dryRun(), interrupted, positions);
    }

    private Map<String, Object> consumerProps() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, request.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "kdispatch-replay-reader",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    private KafkaProducer<String, Task> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, request.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "kdispatch-replay-writer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), AvroSerdes.serde(Task.class, request.serdes()).serializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
