package io.kdispatch.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private static final Pattern SYSTEM_GC = Pattern.compile(
            "Pause Full \\((?:System\\.gc\\(\\)|Diagnostic Command)\\) \\d+M->(\\d+)M");

    /** Heap in MB after each full collection asked for ({@code System.gc()}, {@code jcmd GC.run}), in order. */
    static List<Long> systemCollections(Path gcLog) {
        List<Long> live = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = SYSTEM_GC.matcher(line);
                if (m.find()) {
                    live.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            return live; // not written yet
        }
        return live;
    }

    /** Full collections the JVM fell back to because the heap ran out (not those asked for). */
    static long fullCollections(Path gcLog) {
        try {
            return Files.readAllLines(gcLog).stream()
                    .filter(line -> line.contains("Pause Full") && !SYSTEM_GC.matcher(line).find()).count();
        } catch (IOException e) {
            return 0;
        }
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
