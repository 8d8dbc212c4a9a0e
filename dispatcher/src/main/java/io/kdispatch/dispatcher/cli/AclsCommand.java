package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.acl.AclApplier;
import io.kdispatch.dispatcher.acl.AclRecipe;
import io.kdispatch.dispatcher.acl.AclTargets;
import io.kdispatch.dispatcher.acl.KafkaAclsScript;
import io.kdispatch.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints or applies the ACL recipe ({@code ops/acl/kdispatch.acl}, packaged in the jar). */
@Command(name = "acls", mixinStandardHelpOptions = true,
        description = "Print the ACL recipe (ops/acl/kdispatch.acl) as kafka-acls.sh commands for the given names and "
                + "principals, or create its bindings with --apply (as a super user, through --config).")
final class AclsCommand implements Callable<Integer> {
    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
            description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--application-id", defaultValue = "kdispatch-dispatcher", paramLabel = "ID",
            description = "The dispatcher's application.id (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--dispatcher-principal", defaultValue = AclTargets.DEFAULT_DISPATCHER, paramLabel = "PRINCIPAL",
            description = "The dispatcher's principal (default: ${DEFAULT-VALUE}).")
    String dispatcherPrincipal;

    @Option(names = "--submitter-principal", defaultValue = AclTargets.DEFAULT_SUBMITTER, paramLabel = "PRINCIPAL",
            description = "The principal that submits tasks (default: ${DEFAULT-VALUE}).")
    String submitterPrincipal;

    @Option(names = "--worker-principal", defaultValue = AclTargets.DEFAULT_WORKER, paramLabel = "TEMPLATE",
            description = "Each worker's principal; {worker} stands for its ID (default: ${DEFAULT-VALUE}).")
    String workerPrincipal;

    @Option(names = "--worker", paramLabel = "ID", description = "A worker to grant its rules to (repeatable).")
    List<String> workers = new ArrayList<>();

    @Option(names = "--apply", description = "Create the bindings instead of printing commands.")
    boolean apply;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (--apply).")
    String bootstrapServers;

    @Mixin
    KafkaClientConfig clientConfig;

    @Override
    public Integer call() {
        AclTargets targets = new AclTargets(topicPrefix, applicationId, dispatcherPrincipal, submitterPrincipal,
                workerPrincipal, workers);
        AclRecipe recipe = AclRecipe.load();
        if (!apply) {
            KafkaAclsScript.render(recipe, targets).forEach(System.out::println);
            return 0;
        }
        if (bootstrapServers == null) {
            throw new IllegalArgumentException("--apply needs --bootstrap-servers (and --config for a super user)");
        }
        List<AclBinding> bindings = recipe.bindings(targets);
        Map<String, Object> props = new HashMap<>(clientConfig.properties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            new AclApplier(admin, Duration.ofSeconds(30)).apply(bindings);
        }
        System.out.printf("applied %d ACL bindings (%s, %s, %s for %s)%n", bindings.size(), dispatcherPrincipal,
                submitterPrincipal, workerPrincipal, workers.isEmpty() ? "no workers" : String.join(", ", workers));
        return 0;
    }
}
