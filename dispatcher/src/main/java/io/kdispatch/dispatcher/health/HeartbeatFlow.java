package io.kdispatch.dispatcher.health;

import java.util.Objects;

/**
 * Whether heartbeats are being read at all, so that silence of the heartbeat input is not taken for
 * silence of the workers. When the freshest heartbeat in the view is older than {@code suspect.after},
 * the input is quiet: a broker outage, an unreadable topic, a dispatcher just restarted on an old view,
 * or a fleet that died as one (which nothing could run elsewhere anyway). While it is quiet, and for
 * {@code dead.after} after heartbeats flow again (the backlog of every worker has to be read first), a
 * worker is judged dead only if it was already silent for {@code dead.after} before the input went quiet.
 *
 * <p>Without this, every broker outage longer than {@code dead.after} judged the whole fleet dead the
 * moment the first heartbeat after it was read, and re-ran every task in flight (the fault suite counted
 * 120 to 296 re-runs per outage). Recovery stays bounded by the liveness settings. Not thread-safe.
 */
public final class HeartbeatFlow {
    private final LivenessPolicy policy;
    private boolean quiet;
    private long quietSinceMs = Long.MIN_VALUE;
    private long flowingSinceMs = Long.MIN_VALUE;
    private long lastObservedMs = Long.MIN_VALUE;
    private long lastFreshestMs = Long.MIN_VALUE;

    public HeartbeatFlow(LivenessPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Takes the freshest heartbeat in the view at {@code nowMs}. An observer that could not look for
     * {@code suspect.after} (its thread blocked on a broker that was down) counts the gap as quiet: the
     * heartbeats read since may be only some workers' part of the backlog.
     *
     * @return true when the input went quiet or started flowing again with this observation
     */
    public boolean observe(long freshestMs, long nowMs) {
        long suspectMs = policy.suspectAfter().toMillis();
        boolean blind = lastObservedMs != Long.MIN_VALUE && nowMs - lastObservedMs >= suspectMs;
        long freshestBefore = lastFreshestMs;
        lastObservedMs = nowMs;
        lastFreshestMs = freshestMs;
        boolean quietNow = nowMs - freshestMs >= suspectMs;
        if (blind && !quiet && !quietNow) {
            quietSinceMs = freshestBefore;
            flowingSinceMs = nowMs;
            return true;
        }
        if (quietNow == quiet) {
            return false;
        }
        quiet = quietNow;
        if (quietNow) {
            quietSinceMs = freshestMs;
        } else {
            flowingSinceMs = nowMs;
        }
        return true;
    }

    /** True while no heartbeat has been read for {@code suspect.after}. */
    public boolean quiet() {
        return quiet;
    }

    /**
     * What {@code judged} becomes for a worker last heard at {@code lastSeenMs}: a {@link Liveness#DEAD}
     * that the input's own silence may explain is {@link Liveness#SUSPECT} (its tasks stay, it gets none).
     * A worker already judged dead ({@code before}) stays dead: its tasks have moved.
     */
    public Liveness temper(Liveness judged, Liveness before, long lastSeenMs, long nowMs) {
        if (judged != Liveness.DEAD || before == Liveness.DEAD) {
            return judged;
        }
        long deadAfterMs = policy.deadAfter().toMillis();
        boolean settled = !quiet && (flowingSinceMs == Long.MIN_VALUE || nowMs - flowingSinceMs >= deadAfterMs);
        boolean silentBeforeQuiet = quietSinceMs != Long.MIN_VALUE && quietSinceMs - lastSeenMs >= deadAfterMs;
        return settled || silentBeforeQuiet ? Liveness.DEAD : Liveness.SUSPECT;
    }
}
