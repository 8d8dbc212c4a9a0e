package io.kdispatch.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the heap figures of a unified GC log ({@code -Xlog:gc}): lines such as
 * {@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 25M->3M(254M) 2.345ms}.
 */
final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)\\s+([0-9.]+)ms");

    private GcLog() {
    }

    /**
     * @param peakUsedMb heap in use just before the fullest collection: the peak the process reached
     * @param peakLiveMb heap in use just after a collection, at its highest: the largest live set seen
     * @param pauses collections seen
     * @param pauseMs their pause times summed
     */
    record Summary(long peakUsedMb, long peakLiveMb, int pauses, double pauseMs) {
        static final Summary NONE = new Summary(0, 0, 0, 0);
    }

    static Summary read(Path gcLog) {
        if (!Files.isRegularFile(gcLog)) {
            return Summary.NONE;
        }
        long peakUsed = 0;
        long peakLive = 0;
        int pauses = 0;
        double pauseMs = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    peakUsed = Math.max(peakUsed, Long.parseLong(m.group(1)));
                    peakLive = Math.max(peakLive, Long.parseLong(m.group(2)));
                    pauses++;
                    pauseMs += Double.parseDouble(m.group(4));
                }
            }
        } catch (IOException e) {
            return Summary.NONE;
        }
        return new Summary(peakUsed, peakLive, pauses, pauseMs);
    }
}
