package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.app.TopicProvisioner;
import io.kdispatch.dispatcher.config.TopicLayout;
import io.kdispatch.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates the dispatcher's topics (the dispatcher also does this on start). */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the dispatcher's topics with explicit partitions and configs (idempotent).")
final class TopicsCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
            description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of intake, results and DLQ "
            + "(default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "-1", description = "Replication factor; -1 takes "
            + "the broker default (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--dry-run", description = "Print the plan without creating anything.")
    boolean dryRun;

    @Override
    public Integer call() {
        Topics topics = new Topics(topicPrefix);
        TopicLayout layout = new TopicLayout(partitions, replicationFactor);
        List<NewTopic> plan = TopicProvisioner.plan(topics, layout);
        if (dryRun) {
            plan.forEach(t -> System.out.printf("%-30s partitions=%s configs=%s%n", t.name(),
                    t.numPartitions(), t.configs() == null ? Map.of() : t.configs()));
            return 0;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<String> created = new TopicProvisioner(admin).ensure(topics, layout);
            for (NewTopic t : plan) {
                System.out.printf("%-30s %s%n", t.name(), created.contains(t.name()) ? "created" : "exists");
            }
        }
        return 0;
    }
}
