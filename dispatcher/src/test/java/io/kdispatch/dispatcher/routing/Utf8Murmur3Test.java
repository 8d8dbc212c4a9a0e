package io.kdispatch.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

/** The streamed hash equals commons-codec's over the string's UTF-8 bytes: placements stay what they were. */
class Utf8Murmur3Test {
    private static long codec(String value, int seed) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return MurmurHash3.hash128x64(bytes, 0, bytes.length, seed)[0];
    }

    @Property(tries = 2_000)
    void anyStringHashesAsItsUtf8Bytes(@ForAll @StringLength(max = 70) String value, @ForAll int seed) {
        assertThat(Utf8Murmur3.hash64(value, seed)).isEqualTo(codec(value, seed));
    }

    @Property(tries = 500)
    void asciiKeysOfEveryBlockLengthHashAsTheirBytes(
            @ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '~') String value) {
        assertThat(Utf8Murmur3.hash64(value, 0)).isEqualTo(codec(value, 0));
    }

    @Test
    void surrogatesPairedAndUnpairedHashAsTheirUtf8Bytes() {
        for (String value : new String[] {"", "a", "\uD83D\uDE00 key", "lone \uD83D", "\uDE00 low first", "\uD83D",
                "é中\uD83D\uDE00", "0123456789abcdef", "0123456789abcdef0"}) {
            assertThat(Utf8Murmur3.hash64(value, Hashing.AB_SEED)).as(value).isEqualTo(codec(value, Hashing.AB_SEED));
        }
    }
}
