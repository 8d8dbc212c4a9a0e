package io.kdispatch.dispatcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.lag.GroupLag;
import io.kdispatch.dispatcher.lag.LagSnapshot;
import io.kdispatch.dispatcher.lag.PartitionLag;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code lag} command's table and JSON, and its argument checks. */
class LagTableTest {
    private static final LagSnapshot SNAPSHOT = new LagSnapshot(Instant.parse("2025-01-01T00:00:00Z"),
            new GroupLag("intake", "app", "d.tasks", List.of(new PartitionLag("d.tasks", 0, 7, 0, 7, 0, 0))),
            Map.of("w1", new GroupLag("w1", "kdispatch-worker-w1", "d.worker.w1", List.of(
                    new PartitionLag("d.worker.w1", 0, -1, 0, 12, 12, 3_400),
                    new PartitionLag("d.worker.w1", 1, 5, 0, 5, 0, 0)))));

    @Test
    void tableHasOneRowPerPartitionLikeConsumerGroupsDescribe() {
        List<String> lines = LagCommand.table(SNAPSHOT).lines().toList();
        assertThat(lines.get(0)).matches("WORKER\\s+TOPIC\\s+PARTITION\\s+COMMITTED\\s+END\\s+LAG\\s+OLDEST-AGE");
        assertThat(lines.get(1)).matches("w1\\s+d\\.worker\\.w1\\s+0\\s+-\\s+12\\s+12\\s+3\\.4s");
        assertThat(lines.get(2)).matches("w1\\s+d\\.worker\\.w1\\s+1\\s+5\\s+5\\s+0\\s+-");
        assertThat(lines.get(3)).matches("\\(intake\\)\\s+d\\.tasks\\s+0\\s+7\\s+7\\s+0\\s+-");
    }

    @Test
    void jsonCarriesTotalsAndPartitions() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(LagCommand.json(SNAPSHOT));
        assertThat(doc.get("workers").get(0).get("lag").asLong()).isEqualTo(12);
        assertThat(doc.get("workers").get(0).get("oldestAgeSeconds").asDouble()).isEqualTo(3.4);
        assertThat(doc.get("workers").get(0).get("partitions").get(0).get("committed").asLong()).isEqualTo(-1);
        assertThat(doc.get("intake").get("group").asText()).isEqualTo("app");
    }

    @Test
    void missingBootstrapServersIsAUsageError() {
        StringWriter err = new StringWriter();
        assertThat(Main.commandLine().setErr(new PrintWriter(err)).execute("lag")).isEqualTo(2);
        assertThat(err.toString()).contains("--bootstrap-servers");
    }
}
