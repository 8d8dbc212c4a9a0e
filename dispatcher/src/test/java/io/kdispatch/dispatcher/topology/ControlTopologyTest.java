package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.control.ControlState;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control topic feeds the global control store, which {@link ControlView} reads. */
class ControlTopologyTest {
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final DispatcherFixture fixture = new DispatcherFixture(new DispatchMetrics() {
        @Override
        public void configChanged(String key) {
            changes.add(key);
        }

        @Override
        public void controlRejected(String reason) {
            rejections.add(reason);
        }
    }, StreamsConfig.AT_LEAST_ONCE);
    private final TestInputTopic<String, byte[]> rawControl = fixture.driver.createInputTopic(
            fixture.topics.control(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    private final TestInputTopic<String, ControlCommand> control = fixture.driver.createInputTopic(
            fixture.topics.control(), Serdes.String().serializer(),
            AvroSerdes.serde(ControlCommand.class, fixture.serdes).serializer());
    private final KeyValueStore<String, String> store = fixture.driver.getKeyValueStore(StoreNames.CONTROL);
    private final ControlView view = new ControlView(store);

    @AfterEach
    void close() {
        fixture.close();
    }

    private void send(String key, String value) {
        control.pipeInput(key, new ControlCommand(key, value, Instant.now(), "alice"));
    }

    @Test
    void aSettingReachesTheViewAndIsCountedOnce() {
        ControlState before = view.current();
        send("routing.strategy", "LEAST_LOADED");
        assertThat(store.get("routing.strategy")).isEqualTo("least-loaded");
        ControlState after = view.current();
        assertThat(after).isNotSameAs(before);
        assertThat(after.routing(RoutingConfig.defaults()).strategy()).isEqualTo(Strategy.LEAST_LOADED);
        send("routing.strategy", "least-loaded");
        assertThat(view.current()).as("unchanged content keeps the instance").isSameAs(after);
        assertThat(changes).containsExactly("routing.strategy");
    }

    @Test
    void aNullValueOrATombstoneReturnsTheSettingToItsDefault() {
        send("worker.w2.state", "draining");
        assertThat(view.current().draining("w2")).isTrue();
        send("worker.w2.state", null);
        assertThat(store.get("worker.w2.state")).isNull();
        assertThat(view.current().draining("w2")).isFalse();
        send("flag.x", "true");
        control.pipeInput("flag.x", null);
        assertThat(view.current().flag("x")).isFalse();
        assertThat(changes).containsExactly("worker.w2.state", "worker.w2.state", "flag.x", "flag.x");
    }

    @Test
    void anInvalidOrMislabelledRecordIsIgnored() {
        send("routing.prefetch", "5");
        send("routing.prefetch", "-3");
        control.pipeInput("routing.strategy", new ControlCommand("routing.prefetch", "9", Instant.now(), "mallory"));
        send("no.such.key", "1");
        assertThat(view.current().settings()).containsOnly(java.util.Map.entry("routing.prefetch", "5"));
        assertThat(changes).containsExactly("routing.prefetch");
        assertThat(rejections).containsExactly("invalid-value", "malformed", "invalid-key");
        assertThat(view.current().invalid()).containsOnlyKeys("routing.prefetch", "routing.strategy", "no.such.key");
        assertThat(view.current().invalid().get("routing.prefetch"))
                .isEqualTo("invalid-value: invalid value '-3' for routing.prefetch: must be between 0 and 10000, was -3");
    }

    @Test
    void aRefusedRecordKeepsThePreviousValueForTheDispatcherAndIsCountedOnceNotPerTick() {
        send("routing.strategy", "least-loaded");
        send("breaker.minimum.calls", "1000");
        // What another tool might write, bypassing validation: the value that once stopped the dispatcher.
        send("breaker.minimum.calls", "5000");
        send("routing.strategy", "fastest");
        rawControl.pipeInput("routing.prefetch", new byte[] {0, 0, 0, 0, 42, 1, 2});
        rawControl.pipeInput("routing.ab.percent", "{\"value\":\"50\"}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) {
            fixture.advance(DispatcherFixture.TICK);
        }
        fixture.workers("w1", "w2");
        fixture.submit(DispatcherFixture.task("t-1").build());

        assertThat(fixture.explanation("t-1").getStrategy()).as("the previous strategy still decides")
                .isEqualTo("least-loaded");
        assertThat(rejections).as("one count per refused record, however many ticks pass")
                .containsExactly("invalid-value", "invalid-value", "unreadable", "unreadable");
        ControlState state = view.current();
        assertThat(state.settings()).containsOnly(Map.entry("routing.strategy", "least-loaded"),
                Map.entry("breaker.minimum.calls", "1000"));
        assertThat(state.breaker().apply(BreakerPolicy.defaults()).minimumCalls()).isEqualTo(1000);
        assertThat(state.invalid()).containsOnlyKeys("breaker.minimum.calls", "routing.strategy", "routing.prefetch",
                "routing.ab.percent");
        assertThat(state.invalid().get("routing.prefetch")).startsWith("unreadable: not a ControlCommand");
        assertThat(fixture.deadLetters.isEmpty()).as("no tick or record failed").isTrue();
    }

    @Test
    void aValidRecordOrATombstoneClearsARefusal() {
        send("routing.prefetch", "-1");
        send("no.such.key", "1");
        assertThat(view.current().invalid()).containsOnlyKeys("routing.prefetch", "no.such.key");
        send("routing.prefetch", "4");
        control.pipeInput("no.such.key", null);
        assertThat(view.current().invalid()).isEmpty();
        assertThat(view.current().settings()).containsOnly(Map.entry("routing.prefetch", "4"));
        assertThat(rejections).containsExactly("invalid-value", "invalid-key");
    }
}
