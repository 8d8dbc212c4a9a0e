package io.kdispatch.dispatcher.replay;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which records a replay copies, from {@code --filter key=value} options: {@code type} (the task type),
 * {@code worker} (a worker that held the task; dead-letter and worker topics only) and {@code reason} (the
 * dead-letter reason, case-insensitive; dead-letter topic only). Values of one key are alternatives (OR),
 * different keys must all match (AND); no filter matches everything. Immutable.
 */
public final class ReplayFilter {
    private static final Set<String> KEYS = Set.of("type", "worker", "reason");

    private final Map<String, Set<String>> wanted;

    private ReplayFilter(Map<String, Set<String>> wanted) {
        this.wanted = wanted;
    }

    /** Matches every record. */
    public static ReplayFilter all() {
        return new ReplayFilter(Map.of());
    }

    /**
     * Parses {@code key=value} expressions and checks that each key makes sense for the source.
     *
     * @throws IllegalArgumentException for an unknown key, a missing value, or a key the source cannot answer
     */
    public static ReplayFilter parse(List<String> expressions, ReplaySource.Kind source) {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (String expression : expressions) {
            int eq = expression.indexOf('=');
            if (eq <= 0 || eq == expression.length() - 1) {
                throw new IllegalArgumentException("invalid --filter '" + expression
                        + "': use type=<task type>, worker=<worker ID> or reason=<dead-letter reason>");
            }
            String key = expression.substring(0, eq).trim();
            String value = expression.substring(eq + 1).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown --filter key '" + key + "' in '" + expression
                        + "': use type, worker or reason");
            }
            if (key.equals("reason") && source != ReplaySource.Kind.DEAD_LETTERS) {
                throw new IllegalArgumentException("--filter reason=... needs --from dlq: only dead letters have a reason");
            }
            if (key.equals("worker") && source == ReplaySource.Kind.INTAKE) {
                throw new IllegalArgumentException("--filter worker=... does not apply to --from intake: intake "
                        + "records have no worker yet (use --from dlq or --from worker:<id>)");
            }
            wanted.computeIfAbsent(key, k -> new LinkedHashSet<>())
                    .add(key.equals("reason") ? value.toUpperCase(java.util.Locale.ROOT) : value);
        }
        wanted.replaceAll((k, v) -> Set.copyOf(v));
        return new ReplayFilter(Map.copyOf(wanted));
    }

    /** True when the candidate passes every key. */
    public boolean matches(ReplayCandidate candidate) {
        for (Map.Entry<String, Set<String>> e : wanted.entrySet()) {
            Set<String> values = e.getValue();
            boolean ok = switch (e.getKey()) {
                case "type" -> values.contains(candidate.task().getType());
                case "worker" -> candidate.workers().stream().anyMatch(values::contains);
                case "reason" -> candidate.reason() != null && values.contains(candidate.reason());
                default -> throw new IllegalStateException("unknown filter key " + e.getKey());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return wanted.isEmpty() ? "(none)" : wanted.toString();
    }
}
