package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.attempt.AttemptState;
import io.kdispatch.dispatcher.attempt.TaskFacts;
import io.kdispatch.dispatcher.quota.Tenancy;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.Task;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The live attempts of one stream task: the {@code attempts} store (task ID → {@link StoredAttempt},
 * changelogged, the single source of truth) and the {@link AttemptIndex} derived from it. Every change
 * goes through {@link #put} or {@link #remove}, which keep the two in step.
 *
 * <p>On open the index is rebuilt with one scan of the store: after a restart or a rebalance this
 * instance knows at once every attempt it owns, which worker incarnation holds it, and when its lease
 * ends, whoever wrote it. Not thread-safe.
 */
final class AttemptTable {
    /**
     * A live attempt as loaded: the lifecycle's value, the wire task it belongs to, its queue place and when it
     * started waiting (0 when it does not wait, or unknown).
     */
    record Live(Attempt attempt, Task task, long seq, long sinceMs) {
    }

    private final KeyValueStore<String, StoredAttempt> store;
    private final AttemptIndex index = new AttemptIndex();
    private final Tenancy tenancy;
    private long nextSeq;

    AttemptTable(KeyValueStore<String, StoredAttempt> store, Tenancy tenancy) {
        this.store = store;
        this.tenancy = tenancy;
        long maxSeq = 0;
        try (KeyValueIterator<String, StoredAttempt> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, StoredAttempt> entry = it.next();
                index.add(AttemptRecords.attempt(entry.value, tenancy), entry.value.getQueueSeq(),
                        entry.value.getWaitingSince());
                maxSeq = Math.max(maxSeq, entry.value.getQueueSeq());
            }
        }
        nextSeq = maxSeq + 1;
    }

    /** The task's live attempt, or null (without a store look-up when the index knows the task is not live). */
    Live get(String taskId) {
        if (!index.isLive(taskId)) {
            return null;
        }
        StoredAttempt s = store.get(taskId);
        return s == null ? null
                : new Live(AttemptRecords.attempt(s, tenancy), s.getTask(), s.getQueueSeq(), s.getWaitingSince());
    }

    /**
     * Stores {@code next}, the task's new live attempt, replacing {@code previous} (null for none), at
     * {@code nowMs}. A waiting attempt keeps its place (and its waiting time) while it keeps waiting; one that
     * starts waiting goes to the back. A sent attempt uses its tenant's turn in the wait queue.
     */
    void put(Live previous, Attempt next, Task task, long nowMs) {
        long seq;
        long since;
        if (previous != null && previous.attempt().state().isWaiting() && next.state().isWaiting()
                && previous.attempt().number() == next.number()) {
            seq = previous.seq();
            since = previous.sinceMs();
        } else {
            seq = next.state().isWaiting() ? nextSeq++ : 0;
            since = next.state().isWaiting() ? nowMs : 0;
        }
        if (previous != null) {
            index.remove(previous.attempt(), previous.seq(), previous.sinceMs());
        }
        store.put(next.taskId(), AttemptRecords.stored(next, task, seq, since));
        index.add(next, seq, since);
        if (next.state() == AttemptState.ASSIGNED
                && (previous == null || previous.attempt().state() != AttemptState.ASSIGNED)) { // not an extension
            index.waiting().served(next.task().tenant());
        }
    }

    /** Forgets the task (finished or dead-lettered). */
    void remove(Live previous) {
        index.remove(previous.attempt(), previous.seq(), previous.sinceMs());
        store.delete(previous.attempt().taskId());
    }

    /** The lifecycle's facts of a wire task, with its tenant derived by this table's rule. */
    TaskFacts facts(Task task) {
        return AttemptRecords.facts(task, tenancy);
    }

    AttemptIndex index() {
        return index;
    }
}
