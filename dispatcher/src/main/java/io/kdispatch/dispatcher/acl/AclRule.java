package io.kdispatch.dispatcher.acl;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One line of the ACL recipe: the operations a role's principal is allowed on a resource, with the
 * resource name still holding its placeholders ({@code {prefix}}, {@code {app}}, {@code {worker}}).
 *
 * @param role         whose principal gets the grant
 * @param resourceType topic, group or transactional ID
 * @param patternType  literal or prefixed
 * @param name         the resource name template
 * @param operations   the operations allowed, in recipe order
 * @param why          the comment after the rule (may be empty)
 * @param line         where the rule is in the recipe, for messages
 */
public record AclRule(Role role, ResourceType resourceType, PatternType patternType, String name,
                      List<AclOperation> operations, String why, int line) {

    public AclRule {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(patternType, "patternType");
        Objects.requireNonNull(name, "name");
        operations = List.copyOf(operations);
        why = why == null ? "" : why;
    }

    /** Who a rule is for. */
    public enum Role {
        /** The dispatcher (Kafka Streams application). */
        DISPATCHER,
        /** A worker; its rules are granted once per worker ID, to that worker's own principal. */
        WORKER,
        /** A producer of tasks ({@code submit}, applications). */
        SUBMITTER;

        /** The role as the recipe spells it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
