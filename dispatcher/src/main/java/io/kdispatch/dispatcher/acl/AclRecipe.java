package io.kdispatch.dispatcher.acl;

import io.kdispatch.dispatcher.acl.AclRule.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * The ACL recipe of {@code ops/acl/kdispatch.acl}: which operations each kdispatch principal is allowed,
 * on which resources. The file is packaged next to this class, so the jar applies exactly what the
 * repository documents; its format is described at the top of the file.
 *
 * <p>Immutable and thread-safe.
 */
public final class AclRecipe {
    /** The recipe's file name, in {@code ops/acl/} and next to this class on the classpath. */
    public static final String FILE_NAME = "kdispatch.acl";

    private static final Map<String, ResourceType> RESOURCES = Map.of("topic", ResourceType.TOPIC,
            "group", ResourceType.GROUP, "transactional-id", ResourceType.TRANSACTIONAL_ID);
    private static final Map<String, PatternType> PATTERNS = Map.of("literal", PatternType.LITERAL,
            "prefixed", PatternType.PREFIXED);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    private final List<AclRule> rules;

    private AclRecipe(List<AclRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The recipe packaged with this build. */
    public static AclRecipe load() {
        try (InputStream in = AclRecipe.class.getResourceAsStream(FILE_NAME)) {
            if (in == null) {
                throw new IllegalStateException(FILE_NAME + " is missing from the classpath (a broken build)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE_NAME, e);
        }
    }

    /**
     * Parses a recipe.
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it
     */
    public static AclRecipe parse(String text) {
        List<AclRule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String rule = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (!rule.isEmpty()) {
                try {
                    rules.add(rule(rule, hash < 0 ? "" : line.substring(hash + 1).strip(), i + 1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(FILE_NAME + " line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return new AclRecipe(rules);
    }

    /** The rules in file order. */
    public List<AclRule> rules() {
        return rules;
    }

    /** The rules resolved for {@code targets}: one allow binding per operation, any host; worker rules per worker. */
    public List<AclBinding> bindings(AclTargets targets) {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclRule rule : rules) {
            for (String workerId : workersOf(rule, targets)) {
                ResourcePattern resource = new ResourcePattern(rule.resourceType(),
                        targets.resolve(rule.name(), workerId), rule.patternType());
                for (AclOperation operation : rule.operations()) {
                    bindings.add(new AclBinding(resource, new AccessControlEntry(
                            targets.principal(rule.role(), workerId), "*", operation, AclPermissionType.ALLOW)));
                }
            }
        }
        return List.copyOf(bindings);
    }

    /** The worker IDs a rule is resolved for: each worker for worker rules, one null otherwise. */
    static List<String> workersOf(AclRule rule, AclTargets targets) {
        return rule.role() == Role.WORKER ? targets.workerIds() : Arrays.asList((String) null);
    }

    private static AclRule rule(String text, String why, int line) {
        String[] f = text.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("expected ROLE RESOURCE PATTERN NAME OPERATIONS, found " + f.length
                    + " fields in '" + text + "'");
        }
        Role role = lookup(Role.class, f[0]);
        ResourceType resource = pick(RESOURCES, f[1], "resource");
        PatternType pattern = pick(PATTERNS, f[2], "pattern");
        checkPlaceholders(f[3], role);
        List<AclOperation> operations = new ArrayList<>();
        for (String op : f[4].split(",")) {
            AclOperation operation = SecurityUtils.operation(op.strip());
            if (operation == AclOperation.UNKNOWN || operation == AclOperation.ANY) {
                throw new IllegalArgumentException("unknown operation '" + op + "' (use kafka-acls.sh names: Read, "
                        + "Write, Create, Delete, Alter, Describe, DescribeConfigs, AlterConfigs, All, ...)");
            }
            operations.add(operation);
        }
        return new AclRule(role, resource, pattern, f[3], operations, why, line);
    }

    private static void checkPlaceholders(String name, Role role) {
        Matcher m = PLACEHOLDER.matcher(name);
        while (m.find()) {
            String p = m.group(1);
            boolean known = p.equals("prefix") || p.equals("app") || (p.equals("worker") && role == Role.WORKER);
            if (!known) {
                throw new IllegalArgumentException("unknown placeholder {" + p + "} in '" + name
                        + "' (known: {prefix}, {app}, and {worker} in worker rules)");
            }
        }
    }

    private static <T> T pick(Map<String, T> choices, String value, String what) {
        T choice = choices.get(value.toLowerCase(Locale.ROOT));
        if (choice == null) {
            throw new IllegalArgumentException("unknown " + what + " '" + value + "' (one of "
                    + new TreeSet<>(choices.keySet()) + ")");
        }
        return choice;
    }

    private static <E extends Enum<E>> E lookup(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + value + "' (dispatcher, worker or submitter)", e);
        }
    }
}
