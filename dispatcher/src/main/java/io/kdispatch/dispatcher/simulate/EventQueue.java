package io.kdispatch.dispatcher.simulate;

import java.util.PriorityQueue;

/**
 * The pending events of a simulation in virtual time: earliest first, and events due at the same
 * millisecond in the order they were scheduled, so a run is a pure function of its inputs.
 */
final class EventQueue {
    enum Kind { ARRIVAL, DELIVER, FINISH, RESULT, HEARTBEAT, TICK, SCENARIO }

    /** One event; {@code a}, {@code b} and {@code n} carry what its kind needs. */
    static final class Event {
        final long at;
        final long seq;
        final Kind kind;
        final Object a;
        final Object b;
        final long n;

        Event(long at, long seq, Kind kind, Object a, Object b, long n) {
            this.at = at;
            this.seq = seq;
            this.kind = kind;
            this.a = a;
            this.b = b;
            this.n = n;
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(1024, (x, y) -> x.at != y.at
            ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
    private long seq;

    void add(long at, Kind kind, Object a, Object b, long n) {
        queue.add(new Event(at, seq++, kind, a, b, n));
    }

    Event poll() {
        return queue.poll();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
