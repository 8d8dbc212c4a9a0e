package io.kdispatch.dispatcher.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlKeysTest {

    @ParameterizedTest(name = "{0}={1} is stored as {2}")
    @CsvSource({
        "routing.strategy, least-loaded, least-loaded",
        "routing.strategy, LEAST_LOADED, least-loaded",
        "routing.strategy, ' auto ', auto",
        "routing.ab.strategy, predictive, predictive",
        "routing.ab.strategy, NONE, none",
        "routing.ab.percent, 0, 0",
        "routing.ab.percent, 100, 100",
        "routing.bounded.load.factor, 1.5, 1.5",
        "routing.bounded.load.factor, 10, 10.0",
        "routing.bounded.load.factor, 1, 1.0",
        "routing.prefetch, 0, 0",
        "routing.prefetch, 10000, 10000",
        "breaker.failure.rate.threshold, 1, 1",
        "breaker.failure.rate.threshold, 100, 100",
        "breaker.minimum.calls, 1, 1",
        "breaker.minimum.calls, 1000, 1000",
        "breaker.open.duration.ms, 100, 100",
        "breaker.open.duration.ms, 600000, 600000",
        "breaker.open.duration.ms, 86400000, 86400000",
        "breaker.max.ejected.percent, 0, 0",
        "breaker.max.ejected.percent, 100, 100",
        "worker.w1.state, cordoned, cordoned",
        "worker.w-2.b_3.state, DRAINING, draining",
        "worker.w1.state, active, active",
        "tasktype.render.paused, true, true",
        "tasktype.video.encode.paused, FALSE, false",
        "flag.new-ui, true, true",
    })
    void everyKeyAcceptsItsValuesInCanonicalForm(String key, String value, String canonical) {
        assertThat(ControlKeys.normalize(key, value)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0}={1} is refused: {2}")
    @CsvSource(delimiter = '|', value = {
        "routing.strategy|fastest|unknown routing strategy 'fastest'; valid: consistent-hash, least-loaded",
        "routing.ab.strategy|random|unknown routing strategy 'random'",
        "routing.ab.percent|101|must be between 0 and 100, was 101",
        "routing.ab.percent|half|expected a whole number",
        "routing.bounded.load.factor|0.9|must be between 1.0 and 10.0, was 0.9",
        "routing.bounded.load.factor|NaN|must be between 1.0 and 10.0, was NaN",
        "routing.bounded.load.factor|Infinity|must be between 1.0 and 10.0, was Infinity",
        "routing.bounded.load.factor|lots|expected a number such as 1.25",
        "routing.prefetch|-1|must be between 0 and 10000, was -1",
        "routing.prefetch|10001|must be between 0 and 10000, was 10001",
        "breaker.failure.rate.threshold|0|must be between 1 and 100",
        "breaker.failure.rate.threshold|101|must be between 1 and 100",
        "breaker.minimum.calls|0|must be between 1 and 1000, was 0",
        "breaker.minimum.calls|1001|must be between 1 and 1000, was 1001",
        "breaker.minimum.calls|5000|must be between 1 and 1000, was 5000",
        "breaker.open.duration.ms|99|must be between 100 and 86400000, was 99",
        "breaker.open.duration.ms|86400001|must be between 100 and 86400000, was 86400001",
        "breaker.open.duration.ms|9223372036854775808|expected a whole number",
        "breaker.max.ejected.percent|-1|must be between 0 and 100",
        "breaker.max.ejected.percent|101|must be between 0 and 100",
        "worker.w1.state|gone|expected cordoned, draining or active",
        "tasktype.render.paused|yes|expected true or false",
        "flag.x|1|expected true or false",
    })
    void anInvalidValueIsRefusedNamingKeyValueAndRule(String key, String value, String message) {
        assertThatThrownBy(() -> ControlKeys.normalize(key, value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid value '" + value + "' for " + key + ": ")
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "key {0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "routing.strategi|unknown setting 'routing.strategi'; valid keys: routing.strategy",
        "worker.bad id.state|invalid id 'bad id' in 'worker.bad id.state': it must be a worker ID, [a-zA-Z0-9._-]{1,200}",
        "worker..state|invalid id '' in 'worker..state'",
        "tasktype..paused|invalid type '' in 'tasktype..paused': it must be a task type, 1-200 characters",
        "flag.bad flag|invalid name 'bad flag' in 'flag.bad flag'",
        "flag.|invalid name '' in 'flag.'",
        "worker.w1|unknown setting 'worker.w1'",
        "breaker.window.size|unknown setting 'breaker.window.size' on the control topic: it can only be set at start-up",
    })
    void anUnknownOrMalformedKeyIsRefused(String key, String message) {
        assertThatThrownBy(() -> ControlKeys.normalize(key, "true")).isInstanceOf(ControlKeys.InvalidKeyException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aBlankKeyIsRefusedWithTheValidKeys() {
        assertThatThrownBy(() -> ControlKeys.normalize(" ", "x")).hasMessageContaining("a setting key is required")
                .hasMessageContaining("worker.<id>.state");
        assertThatThrownBy(() -> ControlKeys.normalize(null, "x")).hasMessageContaining("a setting key is required");
    }

    @Test
    void aNullValueResetsAnyValidKeyButNotAnInvalidOne() {
        assertThat(ControlKeys.normalize("routing.strategy", null)).isNull();
        assertThat(ControlKeys.normalize("worker.w1.state", null)).isNull();
        assertThatThrownBy(() -> ControlKeys.normalize("no.such.key", null)).hasMessageContaining("unknown setting");
    }

    @Test
    void keyBuildersProduceKeysTheValidatorAccepts() {
        assertThat(ControlKeys.workerState("w1")).isEqualTo("worker.w1.state");
        assertThat(ControlKeys.taskTypePaused("render")).isEqualTo("tasktype.render.paused");
        assertThat(ControlKeys.flag("x")).isEqualTo("flag.x");
        assertThatThrownBy(() -> ControlKeys.workerState("no/slash")).hasMessageContaining("invalid worker ID");
    }
}
