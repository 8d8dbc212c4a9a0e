package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.WorkerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link BadInputCorpus} through the real topology on a driven clock: every case must end in its
 * one outcome, nothing may throw, and a good task sent after every bad input must still reach its worker.
 * Prints the count per class of bad input (the table in docs/ARCHITECTURE.md, "Bad input").
 */
class BadInputCorpusTest {
    private static final List<String> TABLE = new ArrayList<>();
    private final BadInputBench bench = new BadInputBench();

    @AfterEach
    void close() {
        bench.close();
    }

    @AfterAll
    static void printTable() {
        System.out.println("| class | case | inputs | outcome | dead letters | rejections | good task after |");
        System.out.println("|---|---|---|---|---|---|---|");
        TABLE.forEach(System.out::println);
    }

    @Test
    void everyCaseHasItsOneOutcomeAndTheGoodTaskAfterItIsDispatched() {
        Set<String> good = new TreeSet<>();
        for (BadInputCorpus c : BadInputCorpus.values()) {
            Map<String, Long> before = bench.metrics.snapshot();
            bench.logs.drain();
            assertDoesNotThrow(() -> c.send(bench), c.name());
            String goodId = bench.goodTask();
            good.add(goodId);
            List<DeadLetter> letters = bench.deadLetters();
            List<String> logged = bench.logs.drain();
            long rejections = check(c, before, letters, logged);
            caseSpecific(c, letters);
            assertThat(bench.assigned()).as(c.name() + ": the good task after it")
                    .anySatisfy(a -> assertThat(a.getTask().getId()).isEqualTo(goodId));
            assertThat(logged).as(c.name() + ": no log line carries a raw line break")
                    .noneMatch(l -> l.contains("\n") || l.contains("\r"));
            TABLE.add(String.format("| %s | %s | 1 | %s | %d | %d | dispatched |", c.kind, c.name(),
                    outcome(c.expect), letters.size(), rejections));
        }
        assertThat(bench.assigned()).extracting(a -> a.getTask().getId()).containsAll(good);
        assertThat(bench.metrics.get("dead-lettered:PROCESSING_ERROR")).isZero();
    }

    /** Checks the case's outcome; returns the rejections it counted. */
    private long check(BadInputCorpus c, Map<String, Long> before, List<DeadLetter> letters, List<String> logged) {
        Map<String, Long> after = bench.metrics.snapshot();
        if (c.expect instanceof BadInputCorpus.Dead d) {
            assertThat(letters).as(c.name()).singleElement().satisfies(l -> {
                assertThat(l.getReason()).isEqualTo(d.reason());
                assertThat(l.getDetail()).contains(d.detail());
            });
            assertThat(delta(before, after, "dead-lettered:" + d.reason())).as(c.name() + " counted").isEqualTo(1);
            return 0;
        }
        assertThat(letters).as(c.name() + ": no dead letter").isEmpty();
        if (c.expect instanceof BadInputCorpus.Rejected r) {
            assertThat(delta(before, after, r.counter())).as(c.name() + " counted").isEqualTo(1);
            assertThat(logged).as(c.name() + " logged").anyMatch(l -> l.contains(r.logged()));
            return 1;
        }
        BadInputCorpus.Accepted a = (BadInputCorpus.Accepted) c.expect;
        assertThat(delta(before, after, "results-stale") + delta(before, after, "heartbeats-rejected"))
                .as(c.name() + ": nothing rejected").isZero();
        assertThat(bench.assignmentOf(a.taskId()).getWorkerId()).isEqualTo(BadInputBench.WORKER);
        return 0;
    }

    private void caseSpecific(BadInputCorpus c, List<DeadLetter> letters) {
        switch (c) {
            case PAYLOAD_10MB -> assertThat(letters.get(0).getTask().getPayload().remaining()).isZero();
            case ID_10KB -> assertThat(letters.get(0).getTaskId()).hasSize(10 * 1024); // small enough to keep
            case REQUIRED_LABELS_100K -> assertThat(letters.get(0).getTask().getRequiredLabels()).isEmpty();
            case RESULT_1MB_ERROR -> assertThat(letters.get(0).getAttempts().get(0).getError()).hasSizeLessThan(AttemptRecords.MAX_ERROR_LENGTH + 30);
            case DUPLICATE_ID_OTHER_PAYLOAD -> {
                StoredAttempt live = bench.f.attempts().get("dup-1");
                assertThat(live.getTask().getPayload().get(0)).isEqualTo((byte) 1);
                assertThat(live.getAttempt()).isEqualTo(1);
                assertThat(bench.assigned()).filteredOn(t -> t.getTask().getId().equals("dup-1")).hasSize(1);
            }
            case DUPLICATE_ID_SAME_TASK -> assertThat(bench.assignmentOf("dup-2").getAttempt()).isEqualTo(2);
            default -> {
            }
        }
    }

    /**
     * 10,000 worker IDs announce 100,000 slots each: the view takes them up to its cap (w1 is already in it),
     * rejects and counts the rest, still dispatches, and forgets them once they are silent for longer than
     * dead-after, so a real worker can join again.
     */
    @Test
    void tenThousandWorkerIdsAnnouncingAHundredThousandSlotsAreBoundedAndForgottenWhenSilent() {
        int flood = 10_000;
        long rejectedBefore = bench.metrics.get("heartbeats-rejected");
        assertDoesNotThrow(() -> {
            for (int i = 0; i < flood; i++) {
                bench.f.heartbeat("flood-" + i, Map.of(), WorkerStatus.READY, 1L, HeartbeatRules.MAX_CAPACITY, 0);
            }
        });
        long rejected = bench.metrics.get("heartbeats-rejected") - rejectedBefore;
        assertThat(rejected).isEqualTo(flood + 1 - HeartbeatProcessor.MAX_WORKERS);
        assertThat(bench.logs.drain()).anyMatch(l -> l.contains("the view already holds 10000 workers"));
        String first = bench.goodTask();
        assertThat(bench.assigned()).extracting(a -> a.getTask().getId()).contains(first);

        for (int i = 0; i < 3; i++) { // 5.7 s: past dead-after for the flood; w1 beats, never silent 2 s
            bench.beat();
            bench.f.advance(Duration.ofMillis(1_900));
        }
        bench.f.heartbeat("late-1", BadInputBench.POOL, WorkerStatus.READY, 1L, 4, 0);
        assertThat(bench.metrics.get("heartbeats-rejected") - rejectedBefore).as("late-1 finds room")
                .isEqualTo(rejected);
        assertThat(bench.logs.drain()).anyMatch(l -> l.contains("forgot 9999 silent"));
        String second = bench.goodTask();
        bench.f.advance(Duration.ofMillis(1));
        List<String> routed = new ArrayList<>(bench.assigned().stream().map(a -> a.getTask().getId()).toList());
        routed.addAll(bench.f.workerTopic("late-1").readValuesToList().stream().map(a -> a.getTask().getId())
                .collect(Collectors.toList()));
        assertThat(routed).contains(second);
        TABLE.add(String.format("| heartbeats | FLOOD_10000_WORKERS_100000_CAPACITY | %d | %d accepted (view cap %d, w1"
                        + " in it), %d rejected and counted; forgotten after dead-after | 0 | %d | dispatched |",
                flood, flood - rejected, HeartbeatProcessor.MAX_WORKERS, rejected, rejected));
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
        return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
    }

    private static String outcome(BadInputCorpus.Expect e) {
        if (e instanceof BadInputCorpus.Dead d) {
            return "dead letter " + d.reason();
        }
        if (e instanceof BadInputCorpus.Rejected r) {
            return "rejected, counted (" + r.counter() + "), logged";
        }
        return "accepted: " + ((BadInputCorpus.Accepted) e).why();
    }
}
