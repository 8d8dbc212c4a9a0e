package io.kdispatch.dispatcher.routing;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * A consistent-hash ring with virtual nodes. When one of N members joins or leaves, only about 1/N of
 * the keys change owner, and a leave moves only the leaving member's keys.
 *
 * <p>A member's virtual nodes sit at positions that depend only on its ID, so the ring over a subset of
 * members is exactly the full ring with the other members' points removed: walking the full ring and
 * skipping non-members gives the same owner as building the smaller ring. The {@link Router} relies on
 * this to keep one ring per fleet and filter eligibility during the walk.
 *
 * <p>Immutable and thread-safe; lookups are a binary search plus a short walk.
 * Hand-written because no reachable library offers a ring with arbitrary removal (Guava's
 * {@code consistentHash} is jump hashing, which only supports removing the last bucket).
 */
public final class HashRing {
    /**
     * Virtual nodes per member. 1,000 keeps the share of keys that move when one of N members leaves
     * within one percentage point of 1/N for N from 2 to 200 (measured over 20,000 keys); 200 points
     * per member let up to five points too many move at N = 2.
     */
    public static final int DEFAULT_VIRTUAL_NODES = 1_000;

    /** Low bits of each point hold the owner's index; the high 44 bits are the ring position. */
    private static final int INDEX_BITS = 20;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    /** The most members a ring can hold, bounded by {@link #INDEX_BITS}. */
    public static final int MAX_MEMBERS = 1 << INDEX_BITS;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    // One flat, sorted long[]: position in the high bits, owner index (into the sorted members) in the low
    // bits. Sorting it also breaks position ties by member ID, independent of the order members were given,
    // and a 1,000-member ring costs 8 MB instead of a million objects.
    private final long[] points;
    private final List<String> members;
    // A bucket index over the sorted points: buckets[b] is the first point whose top bucketBits (in signed
    // order) are at least b, so a lookup binary-searches one bucket of about 8 points instead of the whole
    // array (a 1,000-member ring has a million points, 8 MB: a full search misses the cache on most steps).
    private final int[] buckets;
    private final int bucketShift;

    /** Builds a ring over the distinct {@code members}, each placed {@code virtualNodes} times. */
    public HashRing(Collection<String> members, int virtualNodes) {
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be at least 1, was " + virtualNodes);
        }
        this.members = List.copyOf(new TreeSet<>(members));
        if (this.members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a hash ring holds at most " + MAX_MEMBERS + " members, got "
                    + this.members.size());
        }
        points = new long[this.members.size() * virtualNodes];
        int n = 0;
        for (int m = 0; m < this.members.size(); m++) {
            long seed = Hashing.hash64(this.members.get(m), 0);
            for (int i = 1; i <= virtualNodes; i++) {
                // SplitMix64 over the member's hash: positions depend only on the member ID.
                points[n++] = position(Hashing.mix64(seed + i * GOLDEN_GAMMA)) | m;
            }
        }
        Arrays.sort(points);
        int bits = Math.max(1, Math.min(20, 64 - Long.numberOfLeadingZeros(Math.max(1, points.length / 8))));
        bucketShift = 64 - bits;
        buckets = new int[(1 << bits) + 1];
        int at = 0;
        for (int b = 0; b < buckets.length; b++) {
            while (at < points.length && bucket(points[at]) < b) {
                at++;
            }
            buckets[b] = at;
        }
    }

    private int bucket(long position) {
        return (int) ((position ^ Long.MIN_VALUE) >>> bucketShift);
    }

    /** Number of virtual nodes; {@link #ownerAt} takes a step count below it from {@link #start}. */
    int points() {
        return points.length;
    }

    /** The first point clockwise from {@code key}'s hash; the ring must not be empty. */
    int start(String key) {
        long position = position(Hashing.hash64(key, 0));
        int b = bucket(position);
        int found = Arrays.binarySearch(points, buckets[b], buckets[b + 1], position);
        return found < 0 ? -found - 1 : found;
    }

    /** The member index of the point {@code step} points clockwise from {@code start}. */
    int ownerAt(int start, int step) {
        return (int) (points[(int) (((long) start + step) % points.length)] & INDEX_MASK);
    }

    /** A ring with {@link #DEFAULT_VIRTUAL_NODES} per member. */
    public HashRing(Collection<String> members) {
        this(members, DEFAULT_VIRTUAL_NODES);
    }

    /** True when the ring has no members. */
    public boolean isEmpty() {
        return points.length == 0;
    }

    /** The distinct members, sorted by ID; {@link #walk} answers with indexes into this list. */
    public List<String> members() {
        return members;
    }

    /**
     * The member that owns {@code key}: the first virtual node clockwise from the key's hash.
     *
     * @throws IllegalStateException when the ring is empty
     */
    public String owner(String key) {
        return owner(key, Set.of());
    }

    /**
     * The first member clockwise from {@code key}'s hash that is not in {@code skip}; when every member
     * is skipped, the plain owner.
     *
     * @throws IllegalStateException when the ring is empty
     */
    public String owner(String key, Set<String> skip) {
        if (points.length == 0) {
            throw new IllegalStateException("the hash ring has no members");
        }
        int found = walk(key, i -> skip.isEmpty() || !skip.contains(members.get(i)));
        return members.get(found >= 0 ? found : walk(key, i -> true));
    }

    /**
     * Walks the ring clockwise from {@code key}'s hash and answers the index (into {@link #members()}) of
     * the first member {@code accept} takes, or -1 when it takes none (after one full turn). The predicate
     * may be asked about the same member more than once.
     */
    public int walk(String key, IntPredicate accept) {
        if (points.length == 0) {
            return -1;
        }
        int start = start(key);
        for (int step = 0; step < points.length; step++) {
            int index = ownerAt(start, step);
            if (accept.test(index)) {
                return index;
            }
        }
        return -1;
    }

    private static long position(long hash) {
        return hash & ~INDEX_MASK;
    }
}
