package io.kdispatch.dispatcher.routing;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The stable hashes routing relies on. Every value here must stay the same across JVMs, restarts and
 * dispatcher instances: two instances routing the same task must agree, so nothing may depend on
 * {@link Object#hashCode()} of strings or on iteration order of hash-based collections.
 */
final class Hashing {
    /** Seed for the A/B split, distinct from the others so the split does not correlate with placement. */
    static final int AB_SEED = 0x5eed_ab01;
    /** Seed for the two choices of least-loaded routing (both halves of one 128-bit hash are used). */
    static final int CHOICES_SEED = 0x5eed_2c01;
    /** Seed for weighted rendezvous hashing. */
    static final int RENDEZVOUS_SEED = 0x5eed_4e01;

    private Hashing() {
    }

    /** 128-bit MurmurHash3 of the UTF-8 bytes of {@code value}; both halves are independent 64-bit hashes. */
    static long[] hash128(String value, int seed) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return MurmurHash3.hash128x64(bytes, 0, bytes.length, seed);
    }

    /** 64-bit MurmurHash3 of the UTF-8 bytes of {@code value}: the first half of {@link #hash128}, allocating nothing. */
    static long hash64(String value, int seed) {
        return Utf8Murmur3.hash64(value, seed);
    }

    /** A value in 0..99 that a task ID always maps to: the A/B bucket. */
    static int percentBucket(String taskId) {
        return (int) Long.remainderUnsigned(hash64(taskId, AB_SEED), 100);
    }

    /** SplitMix64's finalizer: a bijective scramble of 64 bits (Steele, Lea and Flood, 2014). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Maps 64 random bits to a double strictly inside (0, 1). */
    static double unitInterval(long bits) {
        return ((bits >>> 11) + 0.5) * 0x1.0p-53;
    }
}
