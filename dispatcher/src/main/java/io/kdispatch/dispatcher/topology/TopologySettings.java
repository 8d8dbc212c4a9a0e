package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs from the configuration.
 *
 * @param topics topic names
 * @param serdes serde settings for every Avro value (topics and stores)
 * @param liveness when silent workers become suspect and dead
 * @param tickInterval wall-clock interval of the worker-view punctuation
 * @param leaseDuration how long an attempt may run without a result before it is dispatched again
 */
public record TopologySettings(Topics topics, SerdeConfig serdes, LivenessPolicy liveness, Duration tickInterval,
                               Duration leaseDuration) {
    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
    }
}
