package io.kdispatch.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.sdk.Worker.State;
import io.kdispatch.sdk.internal.Lifecycle;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One test per legal transition, and every illegal one refused, on the enum and on {@link Lifecycle}. */
class WorkerStateTest {

    @Test
    void newToStarting() {
        assertMoves(State.NEW, State.STARTING);
    }

    @Test
    void newToTerminated() {
        assertMoves(State.NEW, State.TERMINATED);
    }

    @Test
    void startingToRunning() {
        assertMoves(State.STARTING, State.RUNNING);
    }

    @Test
    void startingToTerminated() {
        assertMoves(State.STARTING, State.TERMINATED);
    }

    @Test
    void runningToDraining() {
        assertMoves(State.RUNNING, State.DRAINING);
    }

    @Test
    void runningToTerminated() {
        assertMoves(State.RUNNING, State.TERMINATED);
    }

    @Test
    void drainingToTerminated() {
        assertMoves(State.DRAINING, State.TERMINATED);
    }

    @ParameterizedTest
    @EnumSource(State.class)
    void everyOtherTransitionIsIllegal(State from) {
        Set<State> legal = switch (from) {
            case NEW -> EnumSet.of(State.STARTING, State.TERMINATED);
            case STARTING -> EnumSet.of(State.RUNNING, State.TERMINATED);
            case RUNNING -> EnumSet.of(State.DRAINING, State.TERMINATED);
            case DRAINING -> EnumSet.of(State.TERMINATED);
            case TERMINATED -> EnumSet.noneOf(State.class);
        };
        for (State to : State.values()) {
            assertEquals(legal.contains(to), from.canTransitionTo(to), from + " -> " + to);
        }
    }

    @Test
    void lifecycleRefusesAnIllegalMoveAndKeepsItsState() {
        Lifecycle lifecycle = new Lifecycle("w1");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lifecycle.transition(State.NEW, State.RUNNING));
        assertTrue(e.getMessage().contains("NEW -> RUNNING"), e.getMessage());
        assertEquals(State.NEW, lifecycle.state());
        assertFalse(lifecycle.tryTransition(State.DRAINING));
        assertEquals(State.NEW, lifecycle.state());
    }

    @Test
    void lifecycleRefusesAMoveFromAStateItIsNotIn() {
        Lifecycle lifecycle = new Lifecycle("w1");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lifecycle.transition(State.RUNNING, State.DRAINING));
        assertTrue(e.getMessage().contains("but it is NEW"), e.getMessage());
    }

    @Test
    void terminatingReleasesWaiters() throws InterruptedException {
        Lifecycle lifecycle = new Lifecycle("w1");
        assertFalse(lifecycle.awaitTerminated(Duration.ZERO));
        assertTrue(lifecycle.tryTransition(State.TERMINATED));
        assertTrue(lifecycle.awaitTerminated(Duration.ZERO));
        assertFalse(lifecycle.tryTransition(State.TERMINATED), "only one caller terminates");
    }

    private static void assertMoves(State from, State to) {
        assertTrue(from.canTransitionTo(to));
        Lifecycle lifecycle = new Lifecycle("w1");
        walkTo(lifecycle, from);
        lifecycle.transition(from, to);
        assertEquals(to, lifecycle.state());
    }

    private static void walkTo(Lifecycle lifecycle, State target) {
        State[] path = {State.NEW, State.STARTING, State.RUNNING, State.DRAINING};
        for (int i = 1; i < path.length && lifecycle.state() != target; i++) {
            lifecycle.transition(path[i - 1], path[i]);
        }
        assertEquals(target, lifecycle.state());
    }
}
