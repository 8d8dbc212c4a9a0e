package io.kdispatch.dispatcher.replay;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of a replay, in progress or final. {@code read} counts source records in the range;
 * each of them ends as replayed (or would be, in a dry run), skipped by the filter, skipped as unreadable
 * (not Avro, unknown schema, or a dead letter without a parsed task), a duplicate task ID, or failed to write.
 *
 * @param total records in the range when the replay started
 * @param next per partition, the next offset the replay would read (how far it got)
 * @param interrupted true when it was stopped (Ctrl-C) before the end of the range
 */
public record ReplayReport(String topic, long total, long read, long replayed, long skippedByFilter,
                           long skippedUnreadable, long duplicates, long failed, boolean dryRun, boolean interrupted,
                           Map<Integer, Long> next) {
    public ReplayReport {
        next = java.util.Collections.unmodifiableMap(new TreeMap<>(next));
    }

    /** One line of counts, e.g. {@code read 40/100 replayed 30 skipped-filter 5 ...}. */
    public String counts() {
        return "read " + read + "/" + total + (dryRun ? " would-replay " : " replayed ") + replayed
                + " skipped-filter " + skippedByFilter + " skipped-unreadable " + skippedUnreadable
                + " duplicates " + duplicates + (failed > 0 ? " failed " + failed : "");
    }

    /** A progress line with a bar: {@code [#####.....]  50% read 50/100 ...}. */
    public String progressLine() {
        int percent = total == 0 ? 100 : (int) Math.min(100, read * 100 / total);
        int filled = percent / 5;
        return "[" + "#".repeat(filled) + ".".repeat(20 - filled) + "] " + String.format("%3d%% ", percent) + counts();
    }

    /** The final report: counts, and where it stopped when interrupted. */
    public String summary() {
        String head = (dryRun ? "dry run: nothing written; " : "") + (interrupted ? "stopped before the end: " : "done: ");
        String where = interrupted ? System.lineSeparator() + "next offsets of " + topic + " by partition: " + next
                + " (resume with --from-offset per partition, or rerun: replayed task IDs run again as fresh tasks)" : "";
        return head + counts() + where;
    }
}
