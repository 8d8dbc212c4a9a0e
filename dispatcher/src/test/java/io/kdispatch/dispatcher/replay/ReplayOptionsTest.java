package io.kdispatch.dispatcher.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.cli.Main;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sources, filters, ranges and command-line validation of {@code replay}, without a broker. */
class ReplayOptionsTest {
    private static final Topics TOPICS = new Topics("p");

    private static ReplayCandidate candidate(String type, Set<String> workers, String reason) {
        return new ReplayCandidate(Task.newBuilder().setId("t").setType(type).build(), workers, reason);
    }

    @Test
    void sourcesAcceptShortNamesAndFullTopicNames() {
        assertThat(ReplaySource.parse("dlq", TOPICS)).isEqualTo(new ReplaySource(ReplaySource.Kind.DEAD_LETTERS, "p.dlq", null));
        assertThat(ReplaySource.parse("p.dlq", TOPICS).kind()).isEqualTo(ReplaySource.Kind.DEAD_LETTERS);
        assertThat(ReplaySource.parse("intake", TOPICS).topic()).isEqualTo("p.tasks");
        assertThat(ReplaySource.parse("worker:w-1", TOPICS)).isEqualTo(new ReplaySource(ReplaySource.Kind.WORKER, "p.worker.w-1", "w-1"));
        assertThat(ReplaySource.parse("p.worker.w-2", TOPICS).workerId()).isEqualTo("w-2");
        assertThatThrownBy(() -> ReplaySource.parse("results", TOPICS)).hasMessageContaining("dlq, intake, worker:<id>");
        assertThatThrownBy(() -> ReplaySource.parse("worker:bad/id", TOPICS)).hasMessageContaining("invalid worker ID");
    }

    @Test
    void filtersAreOrWithinAKeyAndAndAcrossKeys() {
        ReplayFilter f = ReplayFilter.parse(List.of("type=a", "type=b", "reason=max_attempts"),
                ReplaySource.Kind.DEAD_LETTERS);
        assertThat(f.matches(candidate("a", Set.of(), DeadLetterReason.MAX_ATTEMPTS.name()))).isTrue();
        assertThat(f.matches(candidate("b", Set.of(), "MAX_ATTEMPTS"))).isTrue();
        assertThat(f.matches(candidate("c", Set.of(), "MAX_ATTEMPTS"))).isFalse();
        assertThat(f.matches(candidate("a", Set.of(), "POISON"))).isFalse();
        ReplayFilter byWorker = ReplayFilter.parse(List.of("worker=w2"), ReplaySource.Kind.DEAD_LETTERS);
        assertThat(byWorker.matches(candidate("a", Set.of("w1", "w2"), "POISON"))).isTrue();
        assertThat(byWorker.matches(candidate("a", Set.of("w1"), "POISON"))).isFalse();
        assertThat(ReplayFilter.all().matches(candidate("x", Set.of(), null))).isTrue();
    }

    @Test
    void filtersThatCannotApplyOrParseAreRefused() {
        assertThatThrownBy(() -> ReplayFilter.parse(List.of("reason=POISON"), ReplaySource.Kind.INTAKE))
                .hasMessageContaining("needs --from dlq");
        assertThatThrownBy(() -> ReplayFilter.parse(List.of("worker=w1"), ReplaySource.Kind.INTAKE))
                .hasMessageContaining("does not apply to --from intake");
        assertThatThrownBy(() -> ReplayFilter.parse(List.of("colour=red"), ReplaySource.Kind.DEAD_LETTERS))
                .hasMessageContaining("unknown --filter key 'colour'");
        assertThatThrownBy(() -> ReplayFilter.parse(List.of("type="), ReplaySource.Kind.DEAD_LETTERS))
                .hasMessageContaining("invalid --filter");
    }

    @Test
    void rangesRejectContradictions() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        assertThatThrownBy(() -> new ReplayRange(1L, t, null, null)).hasMessageContaining("not both");
        assertThatThrownBy(() -> new ReplayRange(5L, null, 4L, null)).hasMessageContaining("before --from-offset");
        assertThatThrownBy(() -> new ReplayRange(null, t, null, t.minusSeconds(1))).hasMessageContaining("before");
        assertThatThrownBy(() -> new ReplayRange(-1L, null, null, null)).hasMessageContaining("0 or more");
        ReplayRange r = new ReplayRange(null, null, 10L, null);
        assertThat(r.isPastEnd(10, 0)).isFalse();
        assertThat(r.isPastEnd(11, 0)).isTrue();
        assertThat(new ReplayRange(null, null, null, t).isPastEnd(0, t.toEpochMilli() + 1)).isTrue();
    }

    @Test
    void badCommandLinesExitWithUsageStatusAndOneLineBeforeTouchingKafka() {
        String[] base = {"replay", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "mock://replay"};
        Map<List<String>, String> cases = Map.of(
                List.of("--from", "nowhere"), "cannot replay from 'nowhere'",
                List.of("--from", "intake", "--filter", "reason=POISON"), "needs --from dlq",
                List.of("--from", "dlq", "--from-offset", "1", "--from-time", "2025-01-01T00:00:00Z"), "not both",
                List.of("--from", "dlq", "--to-time", "yesterday"), "invalid --to-time 'yesterday'",
                List.of("--from", "dlq", "--rate", "-5"), "--rate must be between");
        cases.forEach((args, message) -> {
            StringWriter err = new StringWriter();
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), args.stream())
                    .toArray(String[]::new);
            int code = Main.commandLine().setErr(new PrintWriter(err)).execute(all);
            assertThat(code).as(args.toString()).isEqualTo(2);
            assertThat(err.toString()).as(args.toString()).contains(message);
        });
    }

    @Test
    void reportsSayHowFarTheyGot() {
        ReplayReport r = new ReplayReport("p.dlq", 100, 50, 40, 5, 3, 2, 0, false, true, Map.of(0, 30L, 1, 20L));
        assertThat(r.progressLine()).startsWith("[##########..........]  50% read 50/100 replayed 40");
        assertThat(r.summary()).contains("stopped before the end", "{0=30, 1=20}");
        assertThat(new ReplayReport("p.dlq", 0, 0, 0, 0, 0, 0, 0, true, false, Map.of()).summary())
                .startsWith("dry run: nothing written; done: read 0/0 would-replay 0");
    }
}
