package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HandledOffsetsTest {
    private static final TopicPartition P0 = new TopicPartition("dispatch.worker.w1", 0);
    private static final TopicPartition P1 = new TopicPartition("dispatch.worker.w1", 1);

    @Test
    void recordsReadAgainAfterARebalanceAreNotNewAndLaterOnesAre() {
        HandledOffsets handled = new HandledOffsets();
        assertTrue(handled.firstTime(P0, 10));
        assertTrue(handled.firstTime(P0, 11));
        assertTrue(handled.firstTime(P0, 12));
        assertFalse(handled.firstTime(P0, 11), "read again from the last commit");
        assertFalse(handled.firstTime(P0, 12));
        assertTrue(handled.firstTime(P0, 13));
    }

    @Test
    void partitionsAreJudgedApart() {
        HandledOffsets handled = new HandledOffsets();
        assertTrue(handled.firstTime(P0, 5));
        assertTrue(handled.firstTime(P1, 0));
        assertFalse(handled.firstTime(P0, 5));
    }
}
