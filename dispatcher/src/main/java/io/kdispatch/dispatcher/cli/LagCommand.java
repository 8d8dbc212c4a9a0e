package io.kdispatch.dispatcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.lag.GroupLag;
import io.kdispatch.dispatcher.lag.LagReader;
import io.kdispatch.dispatcher.lag.LagSettings;
import io.kdispatch.dispatcher.lag.LagSnapshot;
import io.kdispatch.dispatcher.lag.PartitionLag;
import io.kdispatch.schemas.Topics;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One lag measurement, printed like {@code kafka-consumer-groups --describe}: one row per partition of
 * every worker topic and of the intake topic, or the whole snapshot as JSON for scripts.
 */
@Command(name = "lag", mixinStandardHelpOptions = true,
        description = "Show consumer lag per worker topic and of the dispatcher's intake (table or --json).")
final class LagCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
            description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--application-id", defaultValue = DispatcherConfig.DEFAULT_APPLICATION_ID, paramLabel = "ID",
            description = "The dispatcher's Kafka Streams application ID, whose group reads the intake "
                    + "(default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--json", description = "Print the snapshot as one JSON document.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        LagSnapshot snapshot;
        try (LagReader reader = new LagReader(bootstrapServers, new Topics(topicPrefix), applicationId,
                LagSettings.defaults(), Map.of(), Clock.systemUTC())) {
            snapshot = reader.read();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(snapshot) : table(snapshot));
        out.flush();
        return 0;
    }

    static String json(LagSnapshot snapshot) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("takenAt", snapshot.takenAt().toString());
        doc.put("intake", group(snapshot.intake()));
        List<Object> workers = new ArrayList<>();
        snapshot.workers().values().forEach(w -> workers.add(group(w)));
        doc.put("workers", workers);
        return new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(doc)
                + System.lineSeparator();
    }

    private static Map<String, Object> group(GroupLag g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("group", g.group());
        m.put("topic", g.topic());
        m.put("lag", g.lag());
        m.put("oldestAgeSeconds", g.oldestAgeSeconds());
        m.put("partitions", g.partitions());
        return m;
    }

    static String table(LagSnapshot snapshot) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"WORKER", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "OLDEST-AGE"});
        List<GroupLag> groups = new ArrayList<>(snapshot.workers().values());
        groups.add(snapshot.intake());
        for (GroupLag g : groups) {
            for (PartitionLag p : g.partitions()) {
                rows.add(new String[] {g == snapshot.intake() ? "(intake)" : g.name(),
                        p.topic(), Integer.toString(p.partition()), p.committed() < 0 ? "-" : Long.toString(p.committed()),
                        Long.toString(p.end()), Long.toString(p.lag()),
                        p.lag() == 0 ? "-" : String.format("%.1fs", p.oldestAgeMs() / 1000.0)});
            }
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
            }
            sb.append(System.lineSeparator());
        }
        if (rows.size() == 1) {
            sb.append("(no worker topics and no intake topic under prefix)").append(System.lineSeparator());
        }
        return sb.toString();
    }
}
