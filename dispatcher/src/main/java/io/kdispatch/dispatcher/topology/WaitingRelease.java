package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.AttemptMachine;
import io.kdispatch.dispatcher.attempt.Step;

/** Gives waiting tasks of one stream task another chance, in queue order, as far as there is room. */
final class WaitingRelease {
    private final AttemptTable table;
    private final AttemptMachine machine;
    private final RoutingPort routing;
    private final StepApplier applier;

    WaitingRelease(AttemptTable table, AttemptMachine machine, RoutingPort routing, StepApplier applier) {
        this.table = table;
        this.machine = machine;
        this.routing = routing;
        this.applier = applier;
    }

    /**
     * Lets up to {@code limit} waiting tasks try again, in the queue's fair order (those that still wait keep
     * their place), until {@code room} of them went out: a task that finds no room parks again at the cost of a
     * decision, and with a full fleet and a long queue those decisions took the stream thread
     * (short-tasks profile: 27% in re-parking).
     */
    void release(long now, int limit, int room) {
        if (room == 0 || table.index().waiting().isEmpty()) {
            return;
        }
        int sent = 0;
        for (String taskId : table.index().waiting().head(limit, now)) {
            AttemptTable.Live live = table.get(taskId);
            if (live != null) {
                Step step = machine.release(live.attempt(), routing, now);
                applier.apply(live, step, live.task(), now);
                sent += step.sent() ? 1 : 0;
                if (sent >= room) {
                    return;
                }
            }
        }
    }
}
