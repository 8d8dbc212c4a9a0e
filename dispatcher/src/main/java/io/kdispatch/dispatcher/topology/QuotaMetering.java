package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.metrics.QuotaUse;
import io.kdispatch.dispatcher.quota.InFlight;
import io.kdispatch.dispatcher.quota.QuotaBoard;
import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.Scope;
import io.kdispatch.dispatcher.quota.Tenancy;
import io.kdispatch.dispatcher.routing.ParkKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The quota metrics of one stream task: tasks in flight against each configured limit, waiting tasks by
 * reason class, and how long each tenant's tasks waited before they went out. Tags name only configured task
 * types and tenants (those with a limit or a rate) and the default tenant; every other name is
 * {@value #OTHER}, so a producer cannot grow the tag set. Not thread-safe: one stream task owns it.
 */
final class QuotaMetering {
    static final String OTHER = "other";

    private final String streamTask;
    private final DispatchMetrics metrics;
    private final QuotaBoard board;
    private final Tenancy tenancy;
    private final WaitBook book = new WaitBook();

    QuotaMetering(String streamTask, DispatchMetrics metrics, QuotaBoard board, Tenancy tenancy) {
        this.streamTask = streamTask;
        this.metrics = metrics;
        this.board = board;
        this.tenancy = tenancy;
    }

    /** {@code a} waits for {@code kind}; true when that is new or another class than before (explain it again). */
    boolean parked(Attempt a, ParkKind kind, long nowMs) {
        return book.parked(a.taskId(), kind, nowMs);
    }

    /** {@code a} went out at {@code nowMs}: a fresh attempt's wait (0 when it went at once) counts for its tenant. */
    void sent(Attempt a, long nowMs) {
        long since = book.left(a.taskId());
        if (!a.retry()) {
            metrics.waited(tenantTag(a.task().tenant()), since < 0 ? 0 : Math.max(0, nowMs - since));
        }
    }

    /** {@code taskId} waits no longer (finished, dead-lettered, or assigned without a send of this step). */
    void left(String taskId) {
        book.left(taskId);
    }

    /** Reports this stream task's gauges; {@code waiting} is its wait queue's size. */
    void report(long waiting) {
        metrics.waiting(streamTask, book.byReason(waiting));
        QuotaLimits limits = board.limits();
        InFlight inFlight = board.inFlight();
        List<QuotaUse> uses = new ArrayList<>();
        for (Scope scope : List.of(Scope.TYPE, Scope.TENANT)) {
            long named = 0;
            for (String name : limits.configured(scope)) {
                int n = inFlight.count(scope, name);
                named += n;
                uses.add(new QuotaUse(scope.tag(), name, n, limits.limit(scope, name)));
            }
            uses.add(new QuotaUse(scope.tag(), OTHER, inFlight.total() - named, 0));
        }
        metrics.quotaUse(streamTask, uses);
    }

    /** Forgets this stream task's gauges (it may now run elsewhere). */
    void close() {
        metrics.waiting(streamTask, Map.of());
        metrics.quotaUse(streamTask, List.of());
    }

    private String tenantTag(String tenant) {
        return tenancy.isDefault(tenant) || board.limits().configured(Scope.TENANT).contains(tenant) ? tenant : OTHER;
    }
}
