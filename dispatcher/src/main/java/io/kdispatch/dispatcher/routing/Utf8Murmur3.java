package io.kdispatch.dispatcher.routing;

/**
 * MurmurHash3 x64 128 (the reference algorithm, as commons-codec's {@code MurmurHash3.hash128x64}) of a
 * string's UTF-8 bytes, encoded on the fly: the same value as hashing {@code s.getBytes(UTF_8)}, without the
 * byte array (and the codec's result array) a routing decision would otherwise allocate for every key.
 * Hand-written because commons-codec and Guava hash only bytes or chars they are given, not a string's
 * UTF-8 encoding streamed; {@code Utf8Murmur3Test} holds it to the codec's value for arbitrary strings.
 *
 * <p>An instance is one hash in progress; {@link #hash64} runs one on the stack.
 */
final class Utf8Murmur3 {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    /** What {@code String.getBytes(UTF_8)} writes for an unpaired surrogate. */
    private static final int REPLACEMENT = '?';

    private long h1;
    private long h2;
    private long k1;
    private long k2;
    /** Bytes in the current 16-byte block. */
    private int inBlock;
    private long length;

    private Utf8Murmur3(int seed) {
        h1 = seed & 0xffffffffL;
        h2 = seed & 0xffffffffL;
    }

    /** The first 64 bits of the 128-bit hash of {@code value}'s UTF-8 bytes. */
    static long hash64(String value, int seed) {
        Utf8Murmur3 hash = new Utf8Murmur3(seed); // scalar-replaced: it never leaves this method
        hash.addUtf8(value);
        return hash.finish();
    }

    private void addUtf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                add(c);
            } else if (c < 0x800) {
                add(0xc0 | (c >> 6));
                add(0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                int next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
                if (Character.isHighSurrogate(c) && Character.isLowSurrogate((char) next)) {
                    int cp = Character.toCodePoint(c, (char) next);
                    add(0xf0 | (cp >> 18));
                    add(0x80 | ((cp >> 12) & 0x3f));
                    add(0x80 | ((cp >> 6) & 0x3f));
                    add(0x80 | (cp & 0x3f));
                    i++;
                } else {
                    add(REPLACEMENT);
                }
            } else {
                add(0xe0 | (c >> 12));
                add(0x80 | ((c >> 6) & 0x3f));
                add(0x80 | (c & 0x3f));
            }
        }
    }

    private void add(int b) {
        long v = b & 0xffL;
        if (inBlock < 8) {
            k1 |= v << (8 * inBlock);
        } else {
            k2 |= v << (8 * (inBlock - 8));
        }
        length++;
        if (++inBlock == 16) {
            mixBlock();
        }
    }

    private void mixBlock() {
        h1 ^= mixK1(k1);
        h1 = Long.rotateLeft(h1, 27) + h2;
        h1 = h1 * 5 + 0x52dce729;
        h2 ^= mixK2(k2);
        h2 = Long.rotateLeft(h2, 31) + h1;
        h2 = h2 * 5 + 0x38495ab5;
        k1 = 0;
        k2 = 0;
        inBlock = 0;
    }

    private long finish() {
        if (inBlock > 8) {
            h2 ^= mixK2(k2);
        }
        if (inBlock > 0) {
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        return h1 + h2;
    }

    private static long mixK1(long k) {
        return Long.rotateLeft(k * C1, 31) * C2;
    }

    private static long mixK2(long k) {
        return Long.rotateLeft(k * C2, 33) * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        return k ^ (k >>> 33);
    }
}
