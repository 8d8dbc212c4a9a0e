package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
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
    /** A live attempt as loaded: the lifecycle's value, the wire task it belongs to, its queue place. */
    record Live(Attempt attempt, Task task, long seq) {
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
                index.add(AttemptRecords.attempt(entry.value, tenancy), entry.value.getQueueSeq());
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
        return s == null ? null : new Live(AttemptRecords.attempt(s, tenancy), s.getTask(), s.getQueueSeq());
    }

    /**
     * Stores {@code next}, the task's new live attempt, replacing {@code previous} (null for none). A
     * waiting attempt keeps its place while it keeps waiting; one that starts waiting goes to the back.
     */
    void put(Live previous, Attempt next, Task task) {
        long seq;
        if (previous != null && previous.attempt().state().isWaiting() && next.state().isWaiting()
                && previous.attempt().number() == next.number()) {
            seq = previous.seq();
        } else {
            seq = next.state().isWaiting() ? nextSeq++ : 0;
        }
        if (previous != null) {
            index.remove(previous.attempt(), previous.seq());
        }
        store.put(next.taskId(), AttemptRecords.stored(next, task, seq));
        index.add(next, seq);
    }

    /** Forgets the task (finished or dead-lettered). */
    void remove(Live previous) {
        index.remove(previous.attempt(), previous.seq());
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
