package io.kdispatch.dispatcher.acl;

import io.kdispatch.dispatcher.acl.AclRule.Role;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * What the recipe is applied to: the installation's names and the principal of each role.
 *
 * @param topicPrefix             {@code {prefix}}
 * @param applicationId           {@code {app}}, the dispatcher's application.id
 * @param dispatcherPrincipal     e.g. {@code User:dispatcher}
 * @param submitterPrincipal      e.g. {@code User:submitter}
 * @param workerPrincipalTemplate e.g. {@code User:worker-{worker}}; must contain {@code {worker}}
 * @param workerIds               the workers to grant rules for (none: the worker rules are left out)
 */
public record AclTargets(String topicPrefix, String applicationId, String dispatcherPrincipal,
                         String submitterPrincipal, String workerPrincipalTemplate, List<String> workerIds) {
    public static final String DEFAULT_DISPATCHER = "User:dispatcher";
    public static final String DEFAULT_SUBMITTER = "User:submitter";
    public static final String DEFAULT_WORKER = "User:worker-{worker}";
    private static final Pattern WORKER_ID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    /**
     * @throws IllegalArgumentException for a principal that is not {@code Type:name}, a worker principal that
     *     all workers would share, or an invalid worker ID
     */
    public AclTargets {
        requireText(topicPrefix, "topic prefix");
        requireText(applicationId, "application ID");
        principal(dispatcherPrincipal, "dispatcher principal");
        principal(submitterPrincipal, "submitter principal");
        principal(workerPrincipalTemplate, "worker principal");
        if (!workerPrincipalTemplate.contains("{worker}")) {
            throw new IllegalArgumentException("the worker principal must contain {worker} (e.g. " + DEFAULT_WORKER
                    + "): a principal shared by all workers could read every worker's topic");
        }
        workerIds = List.copyOf(workerIds);
        for (String id : workerIds) {
            if (!WORKER_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("worker ID '" + id + "' must match " + WORKER_ID.pattern());
            }
        }
    }

    /** The default names and principals, for the given workers. */
    public static AclTargets defaults(List<String> workerIds) {
        return new AclTargets("dispatch", "kdispatch-dispatcher", DEFAULT_DISPATCHER, DEFAULT_SUBMITTER,
                DEFAULT_WORKER, workerIds);
    }

    /** The principal a rule of {@code role} is granted to ({@code workerId} only for workers). */
    public String principal(Role role, String workerId) {
        return switch (role) {
            case DISPATCHER -> dispatcherPrincipal;
            case SUBMITTER -> submitterPrincipal;
            case WORKER -> workerPrincipalTemplate.replace("{worker}", Objects.requireNonNull(workerId, "workerId"));
        };
    }

    /** {@code template} with its placeholders replaced ({@code workerId} may be null outside worker rules). */
    public String resolve(String template, String workerId) {
        String name = template.replace("{prefix}", topicPrefix).replace("{app}", applicationId);
        return workerId == null ? name : name.replace("{worker}", workerId);
    }

    private static void principal(String value, String what) {
        requireText(value, what);
        try {
            KafkaPrincipal parsed = SecurityUtils.parseKafkaPrincipal(value.replace("{worker}", "w"));
            requireText(parsed.getName(), what + " name");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must look like User:name, was '" + value + "'", e);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
