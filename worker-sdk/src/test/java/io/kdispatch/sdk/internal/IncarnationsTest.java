package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IncarnationsTest {

    @Test
    void theBoundIsTheLargestLongTheJavaScriptAvroDecoderReads() {
        // avsc's isSafeLong(): n <= 9007199254740990, one below Number.MAX_SAFE_INTEGER
        assertEquals(9_007_199_254_740_990L, Incarnations.MAX);
    }

    @Test
    void incarnationsArePositiveWithinTheBoundAndUseItsWholeRange() {
        long highest = 0;
        for (int i = 0; i < 100_000; i++) {
            long incarnation = Incarnations.next();
            assertTrue(incarnation >= 1 && incarnation <= Incarnations.MAX, "out of range: " + incarnation);
            highest = Math.max(highest, incarnation);
        }
        // all 100,000 draws below 2^52 would happen with probability 2^-100000: the range is not cut short
        assertTrue(highest > 1L << 52, "highest draw " + highest);
    }
}
