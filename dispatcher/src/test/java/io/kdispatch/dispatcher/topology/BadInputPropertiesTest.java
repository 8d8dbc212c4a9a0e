package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.UnknownSchemaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Generated bad input (see {@link HostileInputs}) through the same topology as the corpus: whatever the
 * values, nothing throws, each bad record yields exactly one dead letter or one counted rejection, and every
 * valid task among them is dispatched (or, when its labels match no worker, waits: it is never lost). One
 * topology serves every try, so each input is judged by what it adds; task IDs get a unique prefix so that
 * tries do not collide. Prints the count per generated class.
 */
class BadInputPropertiesTest {
    private static final Map<String, long[]> COUNTS = new TreeMap<>();
    private static BadInputBench bench;
    private static Deserializer<Task> tasks;
    private static int sequence;

    @BeforeContainer
    static void open() {
        bench = new BadInputBench();
        tasks = AvroSerdes.serde(Task.class, bench.f.serdes).deserializer();
    }

    @AfterContainer
    static void close() {
        bench.close();
        System.out.println("| generated class | inputs | dead letters | rejections | dispatched | waiting |");
        System.out.println("|---|---|---|---|---|---|");
        COUNTS.forEach((k, c) -> System.out.printf("| %s | %d | %d | %d | %d | %d |%n", k, c[0], c[1], c[2], c[3], c[4]));
    }

    @Provide
    Arbitrary<List<HostileInputs.Input>> inputs() {
        return HostileInputs.any(bench.encodeTask(BadInputBench.task("template").build())).list().ofMinSize(1)
                .ofMaxSize(12);
    }

    @Property(tries = 50)
    void everyBadRecordHasExactlyOneOutcomeAndEveryValidTaskIsDispatched(@ForAll("inputs") List<HostileInputs.Input> in) {
        List<String> dispatched = new ArrayList<>();
        for (HostileInputs.Input input : in) {
            bench.beat();
            HostileInputs.Input unique = input.unique("p" + (++sequence) + "-");
            Map<String, Long> before = bench.metrics.snapshot();
            Expected expected = expect(unique);
            assertDoesNotThrow(() -> unique.send(bench), unique::toString);
            List<DeadLetter> letters = bench.deadLetters();
            long[] c = COUNTS.computeIfAbsent(unique.kind(), k -> new long[5]);
            c[0]++;
            if (expected.reason() != null) {
                assertThat(letters).as(unique.toString()).singleElement()
                        .satisfies(l -> assertThat(l.getReason()).isEqualTo(expected.reason()));
                c[1]++;
                continue;
            }
            assertThat(letters).as(unique.toString()).isEmpty();
            if (expected.counter() != null) {
                assertThat(bench.metrics.get(expected.counter()) - before.getOrDefault(expected.counter(), 0L))
                        .as(unique.toString()).isEqualTo(1);
                c[2]++;
            } else if (expected.dispatched() != null) {
                dispatched.add(expected.dispatched());
                c[3]++;
            } else if (expected.waiting() != null) {
                assertThat(bench.f.attempts().get(expected.waiting())).as(unique + " waits").isNotNull();
                c[4]++;
            }
        }
        List<String> assigned = bench.assigned().stream().map(a -> a.getTask().getId()).toList();
        assertThat(assigned).containsAll(dispatched);
        assertThat(bench.metrics.get("dead-lettered:PROCESSING_ERROR")).isZero();
    }

    /** One of: a dead letter with {@code reason}, a count up by one, a task dispatched, or a task waiting. */
    record Expected(DeadLetterReason reason, String counter, String dispatched, String waiting) {
    }

    /** The oracle: what the dispatcher must do with {@code input}, judged before it is sent. */
    private static Expected expect(HostileInputs.Input input) {
        if (input instanceof HostileInputs.RawTask raw) {
            Task task;
            try {
                task = tasks.deserialize(bench.f.topics.tasks(), raw.value());
            } catch (UnknownSchemaException e) {
                return new Expected(DeadLetterReason.UNKNOWN_SCHEMA, null, null, null);
            } catch (SerializationException e) {
                return new Expected(DeadLetterReason.MALFORMED, null, null, null);
            }
            return task == null ? new Expected(DeadLetterReason.MALFORMED, null, null, null) : expect(raw.key(), task);
        }
        if (input instanceof HostileInputs.TypedTask typed) {
            return expect(typed.key(), typed.task());
        }
        if (input instanceof HostileInputs.Heartbeat hb) {
            return HeartbeatRules.problem(hb.key(), hb.heartbeat()) != null
                    ? new Expected(null, "heartbeats-rejected", null, null) : new Expected(null, null, null, null);
        }
        return new Expected(null, "results-stale", null, null);
    }

    private static Expected expect(String key, Task task) {
        if (TaskValidator.problem(key, task) != null) {
            return new Expected(DeadLetterReason.INVALID_TASK, null, null, null);
        }
        StoredAttempt live = bench.f.attempts().get(task.getId());
        if (live != null && TaskValidator.conflict(live.getTask(), task) != null) {
            return new Expected(DeadLetterReason.INVALID_TASK, null, null, null);
        }
        if (task.getDeadline() != null && task.getDeadline().toEpochMilli() <= bench.f.now().toEpochMilli()) {
            return new Expected(DeadLetterReason.DEADLINE_EXPIRED, null, null, null);
        }
        boolean onlyW1 = task.getRequiredLabels().equals(BadInputBench.POOL) && task.getLabelRequirements().isEmpty();
        return onlyW1 ? new Expected(null, null, task.getId(), null) : new Expected(null, null, null, task.getId());
    }
}
