package io.kdispatch.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WorkerBuilderTest {

    static Worker.Builder valid() {
        return Worker.builder()
                .workerId("w-1")
                .bootstrapServers("localhost:9092")
                .serdeConfig(SerdeConfig.of("mock://builder-test"))
                .handler(ctx -> null);
    }

    @Test
    void validSettingsBuildANewWorker() {
        Worker worker = valid().label("zone", "a").build();
        assertEquals(Worker.State.NEW, worker.state());
        assertEquals("w-1", worker.workerId());
        assertEquals(0, worker.incarnation());
        assertEquals(0, worker.inFlight());
    }

    @Test
    void badWorkerIdNamesTheRule() {
        assertRefused(b -> b.workerId("has space"), "[a-zA-Z0-9._-]{1,200}");
        assertRefused(b -> b.workerId("x".repeat(201)), "[a-zA-Z0-9._-]{1,200}");
    }

    @Test
    void missingWorkerIdIsRequired() {
        assertRefused(b -> b.workerId(null), "workerId is required");
    }

    @Test
    void capacityZeroIsRefused() {
        assertRefused(b -> b.capacity(0), "capacity (tasks run at once) must be between 1 and 10000, was 0");
    }

    @Test
    void missingHandlerIsRequired() {
        assertRefused(b -> b.handler(null), "handler is required");
    }

    @Test
    void missingBootstrapServersIsRequired() {
        assertRefused(b -> b.bootstrapServers(" "), "bootstrapServers is required");
    }

    @Test
    void missingSerdeConfigIsRequired() {
        assertRefused(b -> b.serdeConfig(null), "serdeConfig is required");
    }

    @Test
    void nonPositiveWeightIsRefused() {
        assertRefused(b -> b.weight(0), "weight must be a positive finite number");
        assertRefused(b -> b.weight(Double.NaN), "weight must be a positive finite number");
    }

    @Test
    void nonPositiveDurationsAreRefused() {
        assertRefused(b -> b.heartbeatInterval(Duration.ZERO), "heartbeatInterval must be a positive duration");
        assertRefused(b -> b.shutdownTimeout(Duration.ofSeconds(-1)), "shutdownTimeout must be a positive duration");
        assertRefused(b -> b.startTimeout(null), "startTimeout must be a positive duration");
        assertRefused(b -> b.startWaitTimeout(Duration.ofSeconds(-1)),
                "startWaitTimeout must be zero (fail at once) or a positive duration");
    }

    @Test
    void partitionsOutOfRangeAreRefused() {
        assertRefused(b -> b.workerTopicPartitions(0), "workerTopicPartitions must be between 1 and 1000");
    }

    @Test
    void labelWithoutValueIsRefused() {
        Map<String, String> labels = new HashMap<>();
        labels.put("gpu", null);
        assertRefused(b -> b.labels(labels), "label 'gpu' has no value");
        assertRefused(b -> b.label(" ", "x"), "label keys must not be empty");
    }

    @Test
    void kafkaPropertiesMayNotWeakenTheGuarantees() {
        assertRefused(b -> b.kafkaProperties(Map.of("enable.auto.commit", true)),
                "kafkaProperties may not set 'enable.auto.commit'");
        assertRefused(b -> b.kafkaProperties(Map.of("isolation.level", "read_uncommitted")), "read_committed");
        assertRefused(b -> b.kafkaProperties(Map.of("acks", "1")), "acks=all");
    }

    @Test
    void securitySettingsAreAccepted() {
        valid().kafkaProperties(Map.of("security.protocol", "PLAINTEXT", "max.poll.records", 10)).build();
    }

    private static void assertRefused(Consumer<Worker.Builder> change, String expected) {
        Worker.Builder builder = valid();
        change.accept(builder);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
