package io.kdispatch.dispatcher.quota;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The quotas and rate limits of one stream task: whether a task may be dispatched now, given what this
 * stream task has in flight ({@link InFlight}) and the tokens left in its buckets, and the tokens a dispatch
 * takes. Fleet-wide limits (per task type, per tenant) are enforced as this stream task's
 * {@link QuotaShare share}; per-key limits whole, since a key's tasks meet on one partition.
 *
 * <p>A task over a limit is not refused: the caller parks it with the {@link Block}'s reason and tries it
 * again when room frees (a result) or tokens refill (a tick). Not thread-safe: one stream task owns it.
 */
public final class QuotaBoard {
    /** Why a task may not go now: over an in-flight limit, or out of tokens. */
    public record Block(Kind kind, String reason) {
        public enum Kind { QUOTA, RATE }

        public Block {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** What a task is, as the board counts it: its type, its tenant and its affinity key (null: none). */
    public record Subject(String taskId, String type, String tenant, String key) {
        String name(Scope scope) {
            return switch (scope) {
                case TYPE -> type;
                case TENANT -> tenant;
                case KEY -> key;
            };
        }
    }

    private record Bucket(Rate share, TokenBucket bucket) {
    }

    private static final Scope[] SCOPES = Scope.values();

    private final int partition;
    private final int partitions;
    private final InFlight inFlight;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private QuotaLimits limits;

    /**
     * @param partition the stream task's partition
     * @param partitions how many stream tasks share each fleet-wide limit ({@code topic.partitions})
     */
    public QuotaBoard(int partition, int partitions, InFlight inFlight, QuotaLimits limits) {
        if (partitions < 1 || partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " of " + partitions);
        }
        this.partition = partition;
        this.partitions = partitions;
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** How many stream tasks share each fleet-wide limit. */
    public int partitions() {
        return partitions;
    }

    /** New limits (run-time control): they apply to the next decision; nothing in flight is revoked. */
    public void reconfigure(QuotaLimits next) {
        this.limits = Objects.requireNonNull(next, "next");
    }

    public QuotaLimits limits() {
        return limits;
    }

    public InFlight inFlight() {
        return inFlight;
    }

    /** Null when {@code task} may go at {@code nowMs}, else why not. Takes nothing; see {@link #took}. */
    public Block check(Subject task, long nowMs) {
        if (limits.none()) {
            return null;
        }
        int reused = inFlight.holds(task.taskId()) ? 1 : 0; // its next attempt takes over its own slot
        for (Scope scope : SCOPES) {
            String name = task.name(scope);
            int limit = limits.limit(scope, name);
            if (limit > 0) {
                int share = share(scope, limit, name);
                if (inFlight.count(scope, name) - reused >= share) {
                    return new Block(Block.Kind.QUOTA, scope.words() + " " + name + " at its limit " + limit
                            + shareNote(share, limit));
                }
            }
        }
        for (Scope scope : SCOPES) {
            String name = task.name(scope);
            Rate rate = limits.rate(scope, name);
            if (rate != null) {
                Bucket b = bucket(scope, name, rate, nowMs);
                if (!b.bucket().available(nowMs)) {
                    return new Block(Block.Kind.RATE, scope.words() + " " + name + " at its rate " + rate.describe()
                            + rateNote(b.share(), rate));
                }
            }
        }
        return null;
    }

    /** {@code task} was dispatched at {@code nowMs}: it takes a token from each bucket that limits it. */
    public void took(Subject task, long nowMs) {
        if (limits.none()) {
            return;
        }
        for (Scope scope : SCOPES) {
            String name = task.name(scope);
            Rate rate = limits.rate(scope, name);
            if (rate != null) {
                bucket(scope, name, rate, nowMs).bucket().take(nowMs);
            }
        }
    }

    /** Forgets buckets that are full or no longer limit anything (a full bucket is what a new one is). */
    public void sweep(long nowMs) {
        List<String> gone = new ArrayList<>();
        buckets.forEach((id, b) -> {
            if (b.bucket().full(nowMs)) {
                gone.add(id);
            }
        });
        gone.forEach(buckets::remove);
    }

    /** Buckets held now (tests and the sweep's bound). */
    public int buckets() {
        return buckets.size();
    }

    private int share(Scope scope, int limit, String name) {
        return scope == Scope.KEY ? limit : QuotaShare.of(limit, name, partition, partitions);
    }

    private Bucket bucket(Scope scope, String name, Rate rate, long nowMs) {
        Rate share = scope == Scope.KEY ? rate : QuotaShare.of(rate, name, partition, partitions);
        String id = scope.tag() + ':' + name;
        Bucket b = buckets.get(id);
        if (b == null || !b.share().equals(share)) {
            b = new Bucket(share, b == null ? new TokenBucket(share, nowMs) : b.bucket().resized(share, nowMs));
            buckets.put(id, b);
        }
        return b;
    }

    private String shareNote(int share, int limit) {
        return share == limit ? "" : " (this stream task's share: " + share + ", 1 of " + partitions + ")";
    }

    private String rateNote(Rate share, Rate rate) {
        return share.equals(rate) ? "" : String.format(Locale.ROOT, " (this stream task's share: %.2f/s, burst %d, "
                + "1 of %d)", share.perSecond(), share.burst(), partitions);
    }
}
