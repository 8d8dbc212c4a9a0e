package io.kdispatch.dispatcher.lag;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One measurement of every worker topic's lag and the dispatcher's intake lag. Immutable.
 *
 * @param takenAt when the measurement finished ({@link Instant#EPOCH} for {@link #empty()})
 * @param intake the dispatcher's group on the intake topic; no partitions while the topic does not exist
 * @param workers worker ID to the lag of its group on its topic, sorted by worker ID
 */
public record LagSnapshot(Instant takenAt, GroupLag intake, Map<String, GroupLag> workers) {
    public LagSnapshot {
        workers = java.util.Collections.unmodifiableMap(new TreeMap<>(workers));
    }

    /** Before the first measurement: nothing known, every lag reads 0. */
    public static LagSnapshot empty() {
        return new LagSnapshot(Instant.EPOCH, new GroupLag("intake", "", "", java.util.List.of()), Map.of());
    }

    /** The lag of one worker, if its topic was seen. */
    public Optional<GroupLag> worker(String workerId) {
        return Optional.ofNullable(workers.get(workerId));
    }
}
