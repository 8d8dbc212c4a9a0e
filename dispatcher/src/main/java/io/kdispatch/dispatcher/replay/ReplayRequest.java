package io.kdispatch.dispatcher.replay;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.util.Objects;

/**
 * Everything one replay needs, validated once.
 *
 * @param bootstrapServers the cluster
 * @param serdes registry settings for reading the source and writing tasks
 * @param topics topic names (the intake is the target)
 * @param source where to read
 * @param range which offsets or times to read
 * @param filter which records to copy
 * @param dryRun when true nothing is written; the report counts what would have been replayed
 * @param rate records written per second at most; 0 for no limit (0..1,000,000)
 */
public record ReplayRequest(String bootstrapServers, SerdeConfig serdes, Topics topics, ReplaySource source,
                            ReplayRange range, ReplayFilter filter, boolean dryRun, int rate) {
    public static final int MAX_RATE = 1_000_000;

    public ReplayRequest {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(filter, "filter");
        if (rate < 0 || rate > MAX_RATE) {
            throw new IllegalArgumentException("--rate must be between 0 (no limit) and " + MAX_RATE + ", was " + rate);
        }
    }
}
