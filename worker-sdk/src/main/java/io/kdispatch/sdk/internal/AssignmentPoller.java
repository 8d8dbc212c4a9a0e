package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's poll thread: reads assignments, hands them to the {@link TaskRunner} while slots are
 * free, and commits offsets as results are acknowledged.
 *
 * <p>Threading: the {@code KafkaConsumer} is used by this thread only. Other threads talk to it
 * through the completion queue, the volatile flags and {@code consumer.wakeup()} (the one
 * thread-safe consumer method). When no slot is free, the partitions are paused rather than not
 * polled, so the consumer keeps calling {@code poll} and never exceeds {@code max.poll.interval.ms}.
 *
 * <p>Each assignment read goes through the {@link Admission}: stale ones (lease expired, or sent to
 * another incarnation) are skipped and committed; those beyond {@code capacity + maxQueued} held
 * are answered REJECTED. The staleness check is repeated just before a waiting assignment starts.
 * An assignment's lease is counted from its receipt, the moment the poll that returned it came
 * back (see {@link LeaseTerms}).
 */
final class AssignmentPoller implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AssignmentPoller.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long REGISTRY_BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();

    private final WorkerConfig config;
    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final Codecs codecs;
    private final String topic;
    /** The consumer's {@code max.poll.records}: the most one poll returns. */
    private final int batch;
    private final AtomicInteger inFlight;
    private final FairWaiting waiting = new FairWaiting();
    private final Consumer<Exception> onExit;
    private final Commits commits;
    private final Admission admission;
    private final HandledOffsets handled = new HandledOffsets();
    private final WorkerMetrics metrics;
    private final AtomicLong skipped = new AtomicLong();
    private TaskRunner runner;
    private long registryRetryAt = System.nanoTime();
    private volatile boolean draining;
    private volatile boolean aborted;
    private volatile boolean paused;
    private volatile int queued;
    private final UnreadCount unread;

    /**
     * @param onExit called last on the poll thread: with {@code null} after a graceful drain or an
     *     abort, with the exception when the loop failed
     */
    AssignmentPoller(WorkerConfig config, org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
                     int batch, Codecs codecs, AtomicInteger inFlight, Admission admission, WorkerMetrics metrics,
                     Consumer<Exception> onExit) {
        this.admission = admission;
        this.metrics = metrics;
        this.config = config;
        this.consumer = consumer;
        this.batch = batch;
        this.commits = new Commits(consumer, config.workerId());
        this.codecs = codecs;
        this.topic = config.topics().workerTopic(config.workerId());
        this.inFlight = inFlight;
        this.onExit = onExit;
        this.unread = new UnreadCount(consumer, config.workerId(), config.heartbeatInterval());
    }

    /** Must be called once before the thread starts. */
    void bind(TaskRunner taskRunner) {
        this.runner = taskRunner;
    }

    Queue<Completion> completions() {
        return commits.completions();
    }

    /** Assignments read but waiting for a free slot. */
    int queued() {
        return queued;
    }

    /** Assignments in the worker's topic past its position, as of the last look (at most a heartbeat interval old). */
    int unread() {
        return unread.value();
    }

    /** Assignments not run because the dispatcher had already moved them elsewhere. */
    long skipped() {
        return skipped.get();
    }

    boolean aborted() {
        return aborted;
    }

    /**
     * Any thread: a slot was freed; wake the poll thread if it waits for one or holds an assignment
     * for it (otherwise that assignment would start only when the poll times out).
     */
    void slotFreed() {
        if (paused || queued > 0) {
            consumer.wakeup();
        }
    }

    /** Any thread: take nothing new, reject what waits, finish and commit what runs, then exit. */
    void drain() {
        draining = true;
        consumer.wakeup();
    }

    /** Any thread: exit at once without committing anything more. */
    void abort() {
        aborted = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        Exception failure = null;
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!aborted && !(draining && inFlight.get() == 0 && runner.rejecting() == 0 && waiting.isEmpty())) {
                cycle();
            }
            if (!aborted) {
                commits.commitFinal(CLOSE_TIMEOUT);
            }
        } catch (Exception e) {
            failure = aborted ? null : e;
        } finally {
            closeConsumer();
            onExit.accept(failure);
        }
    }

    private void cycle() {
        commits.applyCompletions();
        commits.commitAdvanced();
        if (draining) {
            rejectWaiting();
        } else {
            startWaiting();
        }
        updatePause();
        ConsumerRecords<String, byte[]> records = pollOnce();
        Moment receivedAt = Moment.now(config.clock());
        Set<TopicPartition> retryLater = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (!retryLater.contains(partition) && !accept(partition, record, receivedAt)) {
                retryLater.add(partition);
            }
        }
        queued = waiting.size();
        unread.update(paused);
    }

    private ConsumerRecords<String, byte[]> pollOnce() {
        try {
            return consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            return ConsumerRecords.empty();
        }
    }

    /** @return false when the registry failed and the partition must be read again from here */
    private boolean accept(TopicPartition partition, ConsumerRecord<String, byte[]> record, Moment receivedAt) {
        TaskAssignment assignment;
        try {
            assignment = codecs.readAssignment(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            skip(partition, record.offset(), "it cannot be deserialized: " + e.getMessage());
            return true;
        } catch (KafkaException e) { // the registry, not the record, failed: read it again later
            log.warn("worker {}: registry unavailable while reading {} offset {}; retrying in 1 s: {}",
                    config.workerId(), partition, record.offset(), e.getMessage());
            consumer.seek(partition, record.offset());
            registryRetryAt = System.nanoTime() + REGISTRY_BACKOFF_NANOS;
            return false;
        }
        if (assignment == null) {
            skip(partition, record.offset(), "it has no value (tombstone)");
        } else if (!config.workerId().equals(assignment.getWorkerId())) {
            skip(partition, record.offset(), "it is addressed to worker '" + assignment.getWorkerId()
                    + "' (task " + assignment.getTask().getId() + ")");
        } else {
            commits.received(partition, record.offset());
            admit(new Pending(partition, record.offset(), assignment, receivedAt, LeaseTerms.of(assignment, receivedAt)));
        }
        return true;
    }

    private void admit(Pending pending) {
        if (!handled.firstTime(pending.partition(), pending.offset())) {
            skipStale(pending, new Admission.Skip(SkipReason.ALREADY_HANDLED, "this run of the worker has "
                    + "already handled it (read again after a rebalance)"));
            return;
        }
        int held = inFlight.get() + waiting.size();
        Admission.Decision decision = admission.onArrival(pending.assignment(), pending.lease(),
                Moment.now(config.clock()), held, waiting.size());
        if (decision instanceof Admission.Skip skip) {
            skipStale(pending, skip);
        } else if (decision instanceof Admission.Reject reject) {
            log.info("worker {}: rejecting task {} attempt {}: {}", config.workerId(), pending.taskId(),
                    pending.assignment().getAttempt(), reject.reason());
            runner.reject(pending, reject.reason());
        } else {
            waiting.add(pending);
        }
    }

    /** Commits a received assignment as done without running or answering it. */
    private void skipStale(Pending pending, Admission.Skip skip) {
        log.info("worker {}: skipping task {} attempt {} because {}", config.workerId(), pending.taskId(),
                pending.assignment().getAttempt(), skip.detail());
        skipped.incrementAndGet();
        metrics.skipped(skip.reason());
        commits.completed(pending.partition(), pending.offset());
    }

    /** Takes the next waiting assignment that is not stale, or null. */
    private Pending nextWaiting() {
        for (Pending next = waiting.poll(); next != null; next = waiting.poll()) {
            Admission.Decision decision =
                    admission.onStart(next.assignment(), next.lease(), Moment.now(config.clock()));
            if (decision instanceof Admission.Skip skip) {
                skipStale(next, skip);
            } else {
                return next;
            }
        }
        return null;
    }

    private void skip(TopicPartition partition, long offset, String why) {
        log.warn("worker {}: skipping record at {} offset {} because {}", config.workerId(), partition, offset, why);
        commits.received(partition, offset);
        commits.completed(partition, offset);
    }

    private void startWaiting() {
        while (runner.running() < config.capacity()) {
            Pending next = nextWaiting();
            if (next == null) {
                return;
            }
            inFlight.incrementAndGet();
            runner.submit(next);
        }
    }

    private void rejectWaiting() {
        for (Pending next = nextWaiting(); next != null; next = nextWaiting()) {
            runner.reject(next, "worker " + config.workerId() + " is draining and takes no new tasks");
        }
    }

    /**
     * Polls while a whole batch ({@code max.poll.records}, by default the capacity) still fits in
     * {@code capacity + maxQueued}, so the dispatcher's credit can keep assignments waiting here, next to
     * the free slots, instead of a commit round trip away; and at least while a slot is free and nothing
     * waits.
     */
    private void updatePause() {
        int held = inFlight.get() + waiting.size();
        boolean batchFits = (long) held + batch <= (long) config.capacity() + config.maxQueued();
        boolean idleSlot = waiting.isEmpty() && runner.running() < config.capacity();
        boolean pause = draining || !(batchFits || idleSlot) || System.nanoTime() - registryRetryAt < 0;
        paused = pause;
        if (pause) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void closeConsumer() {
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            log.warn("worker {}: error closing the consumer: {}", config.workerId(), e.toString());
        }
    }

    /** Runs inside poll() on the poll thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!aborted) {
                commits.commitRevoked(partitions);
            }
            onPartitionsLost(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            commits.forget(partitions);
            waiting.removeIf(p -> partitions.contains(p.partition()));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.debug("worker {}: assigned {}", config.workerId(), partitions);
        }
    }
}
