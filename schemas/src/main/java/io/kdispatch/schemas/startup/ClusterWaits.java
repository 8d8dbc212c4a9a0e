package io.kdispatch.schemas.startup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka start-up steps every component shares, as {@link StartupWait} steps on an {@link Admin}
 * client the caller owns (and should close from a {@link StartupWait#onCancel} hook, so that a stop
 * does not wait for a request to time out).
 */
public final class ClusterWaits {
    private ClusterWaits() {
    }

    /**
     * Waits until the cluster answers.
     *
     * @param hint appended to the reason, saying what to check (e.g. the security settings' name)
     */
    public static void cluster(StartupWait wait, Admin admin, String bootstrapServers, Duration attemptTimeout,
                               String hint) {
        wait.until("the Kafka cluster at " + bootstrapServers, attemptTimeout, timeout -> {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis(timeout)))
                        .nodes().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                return StartupWait.Outcome.ready(null);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = unwrap(e);
                String reason = "cannot reach the Kafka cluster at '" + bootstrapServers + "' within "
                        + StartupWait.format(timeout) + " " + hint;
                if (isTransient(cause)) {
                    return StartupWait.Outcome.notReady(reason, cause);
                }
                throw wait.fatal(reason, cause);
            }
        });
    }

    /**
     * Waits until every topic in {@code names} exists.
     *
     * @param missing the reason when some do not: who creates them, what to check
     */
    public static void topics(StartupWait wait, Admin admin, List<String> names, String missing,
                              Duration attemptTimeout) {
        wait.until(names.size() == 1 ? "the topic " + names.get(0) : "the topics " + names, attemptTimeout,
                timeout -> {
                    try {
                        admin.describeTopics(names, new DescribeTopicsOptions().timeoutMs(millis(timeout)))
                                .allTopicNames().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                        return StartupWait.Outcome.ready(null);
                    } catch (ExecutionException | TimeoutException e) {
                        Throwable cause = unwrap(e);
                        if (cause instanceof UnknownTopicOrPartitionException) {
                            return StartupWait.Outcome.notReady(missing, cause);
                        }
                        if (isTransient(cause)) {
                            return StartupWait.Outcome.notReady("cannot describe the topics " + names, cause);
                        }
                        throw wait.fatal("cannot describe the topics " + names, cause);
                    }
                });
    }

    /**
     * True for failures that waiting may cure: timeouts, Kafka's retriable errors (no leader yet, not
     * the controller, disconnected), and too few brokers for the replication factor (the rest of the
     * cluster is still starting). Authorization, authentication and configuration errors are not.
     * Looks through the causes.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof RetriableException
                    || t instanceof InvalidReplicationFactorException || t instanceof BrokerNotAvailableException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Exception e) {
        return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    }

    /** A timeout as the {@code int} milliseconds of Kafka's request options, clamped to 1 ms .. int max. */
    public static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
}
