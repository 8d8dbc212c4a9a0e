package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private final OffsetTracker<Integer> tracker = new OffsetTracker<>();

    @Test
    void nothingReceivedMeansNothingToCommit() {
        assertEquals(Map.of(), tracker.advanced());
        assertEquals(Map.of(), tracker.positions());
        assertEquals(-1, tracker.position(0));
    }

    @Test
    void pendingRecordHoldsThePositionAtItself() {
        tracker.received(0, 5);
        assertEquals(Map.of(), tracker.advanced(), "position 5 is where it would start anyway: nothing done yet");
        assertEquals(5, tracker.position(0));
    }

    @Test
    void inOrderCompletionsAdvanceOnePastTheLast() {
        tracker.received(0, 0);
        tracker.received(0, 1);
        tracker.completed(0, 0);
        assertEquals(Map.of(0, 1L), tracker.advanced());
        tracker.completed(0, 1);
        assertEquals(Map.of(0, 2L), tracker.advanced());
    }

    @Test
    void outOfOrderCompletionDoesNotCommitPastAnUnfinishedRecord() {
        for (long offset = 10; offset < 14; offset++) {
            tracker.received(0, offset);
        }
        tracker.completed(0, 12);
        tracker.completed(0, 13);
        assertEquals(10, tracker.position(0), "10 and 11 still run");
        tracker.completed(0, 10);
        assertEquals(Map.of(0, 11L), tracker.advanced());
        tracker.completed(0, 11);
        assertEquals(Map.of(0, 14L), tracker.advanced(), "the contiguous run 11..13 is done");
    }

    @Test
    void gapsInOffsetsNeedNoRecordOfTheirOwn() {
        tracker.received(0, 3);
        tracker.received(0, 7); // 4..6: transaction markers or aborted records, never delivered
        tracker.completed(0, 3);
        assertEquals(Map.of(0, 7L), tracker.advanced());
        tracker.completed(0, 7);
        assertEquals(Map.of(0, 8L), tracker.advanced());
    }

    @Test
    void advancedReportsOnlyPartitionsThatMoved() {
        tracker.received(0, 0);
        tracker.received(1, 0);
        tracker.completed(0, 0);
        assertEquals(Map.of(0, 1L), tracker.advanced());
        assertEquals(Map.of(), tracker.advanced(), "handed out already");
        tracker.completed(1, 0);
        assertEquals(Map.of(1, 1L), tracker.advanced());
        assertEquals(Map.of(0, 1L, 1, 1L), tracker.positions(), "positions() always lists all");
    }

    @Test
    void forgottenPartitionIgnoresLateCompletions() {
        tracker.received(0, 0);
        tracker.forget(0);
        tracker.completed(0, 0);
        assertEquals(Map.of(), tracker.advanced());
        assertEquals(0, tracker.pending());
    }

    @Test
    void completingAnOffsetNeverReceivedChangesNothing() {
        tracker.received(0, 4);
        tracker.completed(0, 2);
        tracker.completed(5, 0);
        assertEquals(1, tracker.pending());
        assertEquals(4, tracker.position(0));
    }

    @Test
    void negativeOffsetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> tracker.received(0, -1));
    }

    @Test
    void randomCompletionOrderNeverCommitsAnUnfinishedOffset() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        int count = 200;
        List<Long> order = new ArrayList<>();
        for (long offset = 0; offset < count; offset++) {
            tracker.received(0, offset);
            order.add(offset);
        }
        Collections.shuffle(order, random);
        boolean[] done = new boolean[count];
        for (long offset : order) {
            tracker.completed(0, offset);
            done[(int) offset] = true;
            Long committed = tracker.advanced().get(0);
            if (committed != null) {
                for (int i = 0; i < committed; i++) {
                    assertTrue(done[i], "seed " + seed + ": committed " + committed + " but " + i + " is unfinished");
                }
            }
        }
        assertEquals(count, tracker.position(0), "seed " + seed);
        assertEquals(0, tracker.pending());
    }
}
