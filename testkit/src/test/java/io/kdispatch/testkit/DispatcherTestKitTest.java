package io.kdispatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.Task;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher test kit over the real topology: workers, time, results and what became of each task. */
class DispatcherTestKitTest {
    private DispatcherTestKit kit = DispatcherTestKit.create();

    @AfterEach
    void close() {
        kit.close();
    }

    private static Task task(String id) {
        return Task.newBuilder().setId(id).setType("echo").build();
    }

    @Test
    void aTaskGoesToAnEligibleWorkerAndTheExplanationSaysWhyNotTheOthers() {
        FakeWorker gpu = kit.addWorker("gpu", Map.of("gpu", "yes"));
        kit.addWorker("plain");

        TaskFate fate = kit.submit(Task.newBuilder(task("t-1")).setRequiredLabels(Map.of("gpu", "yes")).build());

        TaskFate.Assigned assigned = (TaskFate.Assigned) fate;
        assertThat(assigned.workerId()).isEqualTo("gpu");
        assertThat(assigned.attempt()).isEqualTo(1);
        assertThat(assigned.why().getCandidates()).containsExactly("gpu");
        assertThat(assigned.why().getExcluded().get("plain")).contains("label requirement");
        assertThat(gpu.holdingIds()).containsExactly("t-1");
    }

    @Test
    void aTaskNoWorkerCanTakeWaitsWithItsReason() {
        kit.addWorker("plain");
        TaskFate fate = kit.submit(Task.newBuilder(task("t-1")).setRequiredLabels(Map.of("gpu", "yes")).build());

        TaskFate.Waiting waiting = (TaskFate.Waiting) fate;
        assertThat(waiting.backingOff()).isFalse();
        assertThat(waiting.why().getReason()).isNotBlank();
        assertThat(kit.fate("nobody-sent-this")).isEqualTo(new TaskFate.Unknown("nobody-sent-this"));
    }

    @Test
    void aCompletedTaskIsFinishedWithTheWorkersResult() {
        FakeWorker w = kit.addWorker("w1");
        kit.submit(task("t-1"));

        w.complete("t-1");

        TaskFate.Finished done = (TaskFate.Finished) kit.fate("t-1");
        assertThat(done.workerId()).isEqualTo("w1");
        assertThat(done.result().getWorkerIncarnation()).isEqualTo(w.incarnation());
        assertThat(w.holding()).isEmpty();
    }

    @Test
    void aCrashedWorkersTaskGoesElsewhereOnceTheDispatcherDeclaresItDead() {
        kit.addWorker("w1");
        kit.addWorker("w2");
        kit.submit(task("t-1"));
        FakeWorker first = kit.worker(kit.workerOf("t-1").orElseThrow());

        first.crash();
        kit.advance(Duration.ofSeconds(1));
        assertThat(kit.workerOf("t-1")).contains(first.id()); // merely silent, not dead yet
        kit.advance(Duration.ofSeconds(5));

        TaskFate.Assigned again = (TaskFate.Assigned) kit.fate("t-1");
        assertThat(again.workerId()).isNotEqualTo(first.id());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(kit.explain("t-1").getExcluded().get(first.id())).contains("liveness");
    }

    @Test
    void aTaskThatFailsEveryAttemptIsDeadLettered() {
        kit.addWorker("w1");
        kit.addWorker("w2");
        kit.submit(Task.newBuilder(task("t-1")).setMaxAttempts(2).build());

        kit.worker(kit.workerOf("t-1").orElseThrow()).fail("t-1", "boom");
        assertThat(((TaskFate.Waiting) kit.fate("t-1")).backingOff()).isTrue();
        kit.advance(Duration.ofSeconds(1));
        kit.worker(kit.workerOf("t-1").orElseThrow()).fail("t-1", "boom again");

        TaskFate.DeadLettered dead = (TaskFate.DeadLettered) kit.fate("t-1");
        assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_ATTEMPTS);
        assertThat(dead.letter().getAttempts()).hasSize(2);
        assertThat(kit.deadLetters()).hasSize(1);
    }

    @Test
    void aLeaseExtensionKeepsALongTaskWhereItIs() {
        kit.close();
        kit = DispatcherTestKit.builder().timings(LivenessPolicy.defaults(), Duration.ofSeconds(10)).build();
        kit.addWorker("w1");
        kit.addWorker("w2");
        kit.submit(task("t-1"));
        FakeWorker holder = kit.worker(kit.workerOf("t-1").orElseThrow());

        kit.advance(Duration.ofSeconds(8));
        holder.extendLease("t-1");
        kit.advance(Duration.ofSeconds(8));
        assertThat(((TaskFate.Assigned) kit.fate("t-1")).attempt()).isEqualTo(1);

        kit.advance(Duration.ofSeconds(5)); // 13 s since the extension: the lease ran out
        assertThat(((TaskFate.Assigned) kit.fate("t-1")).attempt()).isEqualTo(2);
    }

    @Test
    void drainingAndCordonedWorkersGetNothingNew() {
        kit.addWorker("w1").drain();
        kit.addWorker("w2");
        kit.addWorker("w3");
        kit.set("worker.w2.state", "cordoned");
        kit.advance(Duration.ofMillis(200));

        kit.submit(task("t-1"));

        assertThat(kit.workerOf("t-1")).contains("w3");
        assertThat(kit.explain("t-1").getExcluded()).containsKeys("w1", "w2");
        assertThat(kit.explain("t-1").getExcluded().get("w2")).isEqualTo("cordoned");
    }

    @Test
    void theDispatchersOwnPropertiesConfigureTheKit() {
        kit.close();
        kit = DispatcherTestKit.builder().properties(Map.of("routing.strategy", "least-loaded")).build();
        kit.addWorker("w1");
        kit.submit(task("t-1"));
        assertThat(kit.explain("t-1").getStrategy()).isEqualTo("least-loaded");

        assertThatThrownBy(() -> DispatcherTestKit.builder().properties(Map.of("routing.stratgy", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routing.stratgy");
    }

    @Test
    void aWorkerIsAddedOnce() {
        kit.addWorker("w1");
        assertThatThrownBy(() -> kit.addWorker("w1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kit.worker("w9")).hasMessageContaining("w1");
    }
}
