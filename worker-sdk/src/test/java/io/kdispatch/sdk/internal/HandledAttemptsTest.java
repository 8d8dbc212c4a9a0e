package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HandledAttemptsTest {
    @Test
    void anAttemptReadAgainIsNotNewButTheNextAttemptIs() {
        HandledAttempts handled = new HandledAttempts();
        assertTrue(handled.firstTime("t-1", 1));
        assertFalse(handled.firstTime("t-1", 1));
        assertTrue(handled.firstTime("t-1", 2));
        assertTrue(handled.firstTime("t-2", 1));
    }

    @Test
    void theOldestAreForgottenBeyondTheBound() {
        HandledAttempts handled = new HandledAttempts(2);
        handled.firstTime("a", 1);
        handled.firstTime("b", 1);
        handled.firstTime("c", 1);
        assertTrue(handled.firstTime("a", 1), "forgotten");
        assertFalse(handled.firstTime("c", 1));
    }
}
