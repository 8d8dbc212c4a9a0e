package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The windowed minimum behind the credit's round-trip overhead. */
class WindowedMinTest {
    private final WindowedMin min = new WindowedMin();

    @Test
    void itIsUnknownBeforeTheFirstSample() {
        assertThat(min.value()).isNaN();
    }

    @Test
    void itIsTheSmallestRecentSample() {
        min.add(80);
        min.add(20);
        min.add(500);

        assertThat(min.value()).isEqualTo(20);
    }

    @Test
    void aSampleCountsForTwoWindowsAtMost() {
        min.add(5);
        for (int i = 1; i < 2 * WindowedMin.WINDOW; i++) {
            min.add(100);
        }
        assertThat(min.value()).as("the second window ends with the first still counted").isEqualTo(5);

        min.add(100);
        assertThat(min.value()).as("after two full windows").isEqualTo(100);
    }
}
