package io.kdispatch.dispatcher.acl;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * The recipe as {@code kafka-acls.sh} commands, for operators who apply ACLs with Kafka's own tools: one
 * command per rule (per worker for worker rules), each preceded by the rule's reason. The commands expect
 * {@code $B} ({@code --bootstrap-server HOST:PORT}) and {@code $C} ({@code --command-config FILE}) to be set.
 */
public final class KafkaAclsScript {

    private KafkaAclsScript() {
    }

    /** The commands, one per line, with a comment line before each. */
    public static List<String> render(AclRecipe recipe, AclTargets targets) {
        List<String> lines = new ArrayList<>();
        for (AclRule rule : recipe.rules()) {
            for (String workerId : AclRecipe.workersOf(rule, targets)) {
                if (!rule.why().isEmpty()) {
                    lines.add("# " + rule.role().label() + ": " + rule.why());
                }
                lines.add(command(rule, targets.principal(rule.role(), workerId),
                        targets.resolve(rule.name(), workerId)));
            }
        }
        return lines;
    }

    private static String command(AclRule rule, String principal, String name) {
        StringBuilder b = new StringBuilder("kafka-acls.sh $B $C --add --allow-principal ").append(principal);
        for (AclOperation operation : rule.operations()) {
            b.append(" --operation ").append(SecurityUtils.operationName(operation));
        }
        b.append(' ').append(resourceFlag(rule.resourceType())).append(' ').append(name);
        if (rule.patternType() == PatternType.PREFIXED) {
            b.append(" --resource-pattern-type prefixed");
        }
        return b.toString();
    }

    private static String resourceFlag(ResourceType type) {
        return switch (type) {
            case TOPIC -> "--topic";
            case GROUP -> "--group";
            case TRANSACTIONAL_ID -> "--transactional-id";
            default -> throw new IllegalArgumentException("the recipe has no " + type + " rules");
        };
    }
}
