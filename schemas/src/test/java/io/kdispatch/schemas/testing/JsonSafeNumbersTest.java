package io.kdispatch.schemas.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class JsonSafeNumbersTest {
    private static final long MAX = JsonSafeNumbers.MAX;
    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    private static TaskResult result(long incarnation, long durationMs) {
        return TaskResult.newBuilder().setTaskId("t").setWorkerId("w").setWorkerIncarnation(incarnation)
                .setAttempt(1).setStatus(ResultStatus.SUCCEEDED).setStartedAt(T0).setCompletedAt(T0)
                .setDurationMs(durationMs).setHeaders(Map.of("trace", "x")).build();
    }

    private static AttemptRecord attempt(Instant at) {
        return AttemptRecord.newBuilder().setAttempt(1).setWorkerId("w").setOutcome("FAILED").setAt(at).build();
    }

    @Test
    void theBoundIsTheLargestLongTheJavaScriptAvroDecoderReads() {
        assertEquals((1L << 53) - 2, MAX, "avsc's isSafeLong(): |n| <= 9007199254740990");
    }

    @Test
    void valuesUpToTheBoundEitherWayPass() {
        assertEquals(List.of(), JsonSafeNumbers.violations(result(MAX, -MAX)));
    }

    @Test
    void oneBeyondTheBoundIsReportedWithItsPathEitherWay() {
        assertEquals(List.of("TaskResult.workerIncarnation = 9007199254740991"),
                JsonSafeNumbers.violations(result(MAX + 1, 0)));
        assertEquals(List.of("TaskResult.durationMs = -9007199254740991"),
                JsonSafeNumbers.violations(result(1, -MAX - 1)));
        AssertionError e = assertThrows(AssertionError.class, () -> JsonSafeNumbers.assertSafe(
                TaskResult.getClassSchema(), JsonSafeNumbers.asOnTheWire(result(Long.MAX_VALUE, 0)), "results"));
        assertTrue(e.getMessage().contains("results: ") && e.getMessage().contains("9223372036854775807"),
                e.getMessage());
    }

    @Test
    void nestedRecordsArraysUnionsAndLogicalTypesAreWalkedOnTheirWireValues() {
        Task task = Task.newBuilder().setId("t").setType("x").setDeadline(Instant.ofEpochMilli(MAX + 1)).build();
        DeadLetter letter = DeadLetter.newBuilder().setTaskId("t").setReason(DeadLetterReason.MAX_ATTEMPTS)
                .setDetail("d").setAttempts(List.of(attempt(T0), attempt(Instant.ofEpochMilli(MAX + 2))))
                .setTask(task).setSourceOffset(Long.MAX_VALUE).setDeadLetteredAt(T0).build();
        assertEquals(List.of("DeadLetter.attempts[1].at = 9007199254740992",
                        "DeadLetter.task.deadline = 9007199254740991",
                        "DeadLetter.sourceOffset = 9223372036854775807"),
                JsonSafeNumbers.violations(letter));
    }

    @Test
    void mapValuesAndDoublesBeyondTheBoundOrNotFiniteAreCaught() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Numbers", "fields": [
                  {"name": "counts", "type": {"type": "map", "values": "long"}},
                  {"name": "ratio", "type": "double"},
                  {"name": "share", "type": "float"},
                  {"name": "weights", "type": {"type": "array", "items": ["null", "double"]}},
                  {"name": "small", "type": "int"}]}""");
        GenericData.Record numbers = new GenericData.Record(schema);
        numbers.put("counts", Map.of("ok", 5L, "big", MAX + 1));
        numbers.put("ratio", Double.NaN);
        numbers.put("share", Float.POSITIVE_INFINITY);
        numbers.put("weights", Arrays.asList(null, 0.5, 1e300));
        numbers.put("small", Integer.MIN_VALUE);
        assertEquals(List.of("Numbers.counts[big] = 9007199254740991", "Numbers.ratio = NaN",
                        "Numbers.share = Infinity", "Numbers.weights[2] = 1.0E300"),
                JsonSafeNumbers.violations(schema, numbers));
    }
}
