package io.kdispatch.dispatcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened: the demo ends with nothing lost and says so in its summary. */
class DemoIT {

    @Test
    void theDemoLosesNothingAndWritesItsSummary(@TempDir Path dir) throws Exception {
        Path summary = dir.resolve("s.json");
        int status = Main.execute("demo", "--duration", "8s", "--workers", "3", "--rate", "150",
                "--summary-json", summary.toString());

        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(Files.readString(summary));
        long submitted = json.get("submitted").asLong();
        assertThat(submitted).isGreaterThan(800);
        assertThat(json.get("lost").asLong()).isZero();
        assertThat(json.get("completed").asLong()).isEqualTo(submitted - json.get("deadLettered").asLong());
        assertThat(json.get("deadLettered").asLong()).as("the demo's poison tasks").isPositive();
        assertThat(json.get("perWorker").size()).isEqualTo(3);
        assertThat(json.has("duplicateResults")).isTrue();
    }
}
