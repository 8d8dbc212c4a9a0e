package io.kdispatch.dispatcher.e2e;

import io.kdispatch.dispatcher.topology.StoreNames;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The checker of the fault suite: reads a stack's topics from the outside, as {@code read_committed}
 * consumers to their ends, and reports what a user would call a failure of the dispatcher:
 * <ul>
 *   <li><b>lost</b>: submitted tasks with neither a successful result nor a dead letter;</li>
 *   <li><b>duplicate dispatches</b>: the same task and attempt on worker topics more than once (exactly-once
 *       forbids it, whatever was killed);</li>
 *   <li><b>order violations</b>: on one worker topic, first attempts of one affinity key out of submission
 *       order (tasks are numbered by the test);</li>
 *   <li><b>rule violations</b>: a task on a worker lacking a label the task requires, and two members of an
 *       anti-affinity group on one worker at once (from its assignment to its result);</li>
 *   <li><b>duplicate accepted results</b>: a task the dispatcher closed twice, seen in its attempts
 *       changelog (read as committed) as a second deletion of the task's entry: exactly one result per task is
 *       accepted, and the tests never resubmit an ID. A lower bound: compaction or the store's cache could
 *       merge two lives of a key, but a re-dispatch after the first close would still show as a dispatch.</li>
 * </ul>
 * Successful results beyond the first per task are counted, not judged: a worker killed after running a
 * task but before its result was committed runs it again elsewhere (at-least-once execution).
 */
final class TopicAudit {
    private static final Duration READ_LIMIT = Duration.ofSeconds(60);

    /** The audit's figures; {@link #clean()} when nothing a user would call a failure happened. */
    record Report(int submitted, int completed, int deadLettered, List<String> lost, List<String> duplicateDispatches,
                  List<String> orderViolations, List<String> ruleViolations, long extraSuccesses, long dispatches,
                  List<String> deadLetters, List<String> reruns, List<String> duplicateAccepted) {
        boolean clean() {
            return lost.isEmpty() && duplicateDispatches.isEmpty() && orderViolations.isEmpty()
                    && ruleViolations.isEmpty() && duplicateAccepted.isEmpty();
        }

        @Override
        public String toString() {
            return String.format("submitted %d, completed %d, dead-lettered %d, dispatches %d, lost %d %s, duplicate "
                            + "dispatches %d %s, duplicate accepted results %d %s, order violations %d %s, rule "
                            + "violations %d %s, extra successes %d, dead letters %s, reruns %s",
                    submitted, completed, deadLettered, dispatches, lost.size(), head(lost), duplicateDispatches.size(),
                    head(duplicateDispatches), duplicateAccepted.size(), head(duplicateAccepted),
                    orderViolations.size(), head(orderViolations), ruleViolations.size(), head(ruleViolations),
                    extraSuccesses, head(deadLetters), head(reruns));
        }

        private static List<String> head(List<String> items) {
            return items.subList(0, Math.min(5, items.size()));
        }
    }

    private TopicAudit() {
    }

    /**
     * Audits {@code stack}'s topics.
     *
     * @param sequence the submission number of a task, from its ID
     * @param workerLabels the labels of every worker that ever ran, by worker ID
     */
    static Report audit(Stack stack, Function<String, Long> sequence, Map<String, Map<String, String>> workerLabels) {
        Set<String> submitted = new HashSet<>();
        readToEnd(stack, Pattern.compile(Pattern.quote(stack.topics.tasks())), Task.class,
                r -> submitted.add(r.value().getId()));
        Map<String, Integer> successes = new HashMap<>();
        Map<String, Long> endedAt = new HashMap<>();
        Map<String, List<String>> successRuns = new TreeMap<>();
        readToEnd(stack, Pattern.compile(Pattern.quote(stack.topics.results())), TaskResult.class, r -> {
            if (r.value().getStatus() == ResultStatus.SUCCEEDED) {
                successes.merge(r.value().getTaskId(), 1, Integer::sum);
                successRuns.computeIfAbsent(r.value().getTaskId(), t -> new ArrayList<>()).add("#"
                        + r.value().getAttempt() + " on " + r.value().getWorkerId() + "/"
                        + r.value().getWorkerIncarnation() + " at " + r.value().getCompletedAt());
            }
            if (r.value().getCompletedAt() != null) {
                endedAt.merge(r.value().getTaskId() + "#" + r.value().getAttempt(),
                        r.value().getCompletedAt().toEpochMilli(), Math::min);
            }
        });
        Set<String> deadLettered = new HashSet<>();
        List<String> deadLetters = new ArrayList<>();
        readToEnd(stack, Pattern.compile(Pattern.quote(stack.topics.deadLetters())), DeadLetter.class, r -> {
            if (r.value().getTaskId() != null) {
                deadLettered.add(r.value().getTaskId());
            }
            deadLetters.add(r.value().getTaskId() + " " + r.value().getReason() + ": " + r.value().getDetail());
        });
        Dispatches dispatches = new Dispatches(sequence, workerLabels);
        readToEnd(stack, Pattern.compile(Pattern.quote(stack.topics.workerTopicPrefix()) + ".*"), TaskAssignment.class,
                r -> dispatches.add(r.value()));
        dispatches.checkGroups(endedAt);
        List<String> lost = submitted.stream().filter(id -> !successes.containsKey(id) && !deadLettered.contains(id))
                .sorted().toList();
        long extra = successes.values().stream().mapToLong(n -> n - 1L).sum();
        return new Report(submitted.size(), successes.size(), deadLettered.size(), lost, dispatches.duplicates,
                dispatches.disorders, dispatches.violations, extra, dispatches.count, deadLetters,
                successRuns.entrySet().stream().filter(e -> e.getValue().size() > 1)
                        .map(e -> e.getKey() + " " + e.getValue()).toList(), closedTwice(stack));
    }

    /** Tasks whose entry in the dispatcher's attempts store was deleted (the task closed) more than once. */
    private static List<String> closedTwice(Stack stack) {
        Map<String, Integer> closes = new HashMap<>();
        String changelog = stack.topics.prefix() + "-dispatcher-" + StoreNames.ATTEMPTS + "-changelog";
        readRaw(stack, Pattern.compile(Pattern.quote(changelog)), r -> {
            if (r.value() == null) {
                closes.merge(r.key(), 1, Integer::sum);
            }
        });
        return closes.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + " closed "
                + e.getValue() + " times").sorted().toList();
    }

    /** What the worker topics hold, judged record by record in offset order per topic. */
    private static final class Dispatches {
        private final Function<String, Long> sequence;
        private final Map<String, Map<String, String>> workerLabels;
        private final Set<String> seen = new HashSet<>();
        private final Map<String, Long> lastOfKeyOnWorker = new TreeMap<>();
        /** Group members' runs by group and worker: assignment time and attempt. */
        private final Map<String, List<Map.Entry<Long, String>>> groupRuns = new TreeMap<>();
        final List<String> duplicates = new ArrayList<>();
        final List<String> disorders = new ArrayList<>();
        final List<String> violations = new ArrayList<>();
        long count;

        Dispatches(Function<String, Long> sequence, Map<String, Map<String, String>> workerLabels) {
            this.sequence = sequence;
            this.workerLabels = workerLabels;
        }

        void add(TaskAssignment a) {
            count++;
            Task task = a.getTask();
            String attempt = task.getId() + "#" + a.getAttempt();
            if (!seen.add(attempt)) {
                duplicates.add(attempt + " on " + a.getWorkerId());
            }
            Map<String, String> labels = workerLabels.getOrDefault(a.getWorkerId(), Map.of());
            task.getRequiredLabels().forEach((key, value) -> {
                if (!value.equals(labels.get(key))) {
                    violations.add(attempt + " needs " + key + "=" + value + " but went to " + a.getWorkerId());
                }
            });
            if (task.getAntiAffinityGroup() != null) {
                groupRuns.computeIfAbsent(task.getAntiAffinityGroup() + " on " + a.getWorkerId(), g -> new ArrayList<>())
                        .add(Map.entry(a.getAssignedAt().toEpochMilli(), attempt));
            }
            if (task.getAffinityKey() != null && a.getAttempt() == 1) {
                long n = sequence.apply(task.getId());
                Long previous = lastOfKeyOnWorker.put(a.getWorkerId() + "/" + task.getAffinityKey(), n);
                if (previous != null && previous > n) {
                    disorders.add("key " + task.getAffinityKey() + " on " + a.getWorkerId() + ": task " + n
                            + " after task " + previous);
                }
            }
        }

        /**
         * Two runs of one group on one worker must not overlap: a member runs from its assignment until its
         * result (runs without a result, on killed workers, are left out: their end is unknown).
         */
        void checkGroups(Map<String, Long> endedAt) {
            groupRuns.forEach((groupOnWorker, runs) -> {
                runs.sort(Map.Entry.comparingByKey());
                long busyUntil = Long.MIN_VALUE;
                String holder = null;
                for (Map.Entry<Long, String> run : runs) {
                    if (run.getKey() < busyUntil) {
                        violations.add("anti-affinity " + groupOnWorker + ": " + run.getValue() + " assigned while "
                                + holder + " ran");
                    }
                    Long end = endedAt.get(run.getValue());
                    if (end != null && end > busyUntil) {
                        busyUntil = end;
                        holder = run.getValue();
                    }
                }
            });
        }
    }

    /** Decodes the records with a value of the topics matching {@code topics}, read to their committed ends. */
    private static <T extends SpecificRecord> void readToEnd(Stack stack, Pattern topics, Class<T> type,
                                                             Consumer<ConsumerRecord<String, T>> each) {
        try (Deserializer<T> values = AvroSerdes.serde(type, stack.serdes).deserializer()) {
            readRaw(stack, topics, r -> {
                if (r.value() != null) {
                    T value = values.deserialize(r.topic(), r.value());
                    each.accept(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value));
                }
            });
        }
    }

    /** Reads every partition of the topics matching {@code topics} from the beginning to its committed end. */
    private static void readRaw(Stack stack, Pattern topics, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "audit-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics().entrySet()) {
                if (topics.matcher(topic.getKey()).matches()) {
                    topic.getValue().forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions); // read_committed: the stable offsets
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topics + " to its end within " + READ_LIMIT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }
}
