package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.startup.ClusterWaits;
import io.kdispatch.schemas.startup.StartupWait;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/** The short-lived admin client the SDK's components use while they wait to start. */
public final class StartupAdmin {
    /** What to check when the cluster does not answer; the builders of the SDK name their settings so. */
    static final String CLUSTER_HINT =
            "(check bootstrapServers, that the brokers run, and the security settings in kafkaProperties)";

    private StartupAdmin() {
    }

    /**
     * An admin client that {@link StartupWait#cancel()} closes at once, so that a stop does not wait for
     * a request to time out. The caller closes it when done.
     *
     * @throws io.kdispatch.schemas.startup.StartupException when the settings are unusable (e.g. no
     *     bootstrap address resolves): waiting cannot cure that
     */
    public static Admin open(String bootstrapServers, String clientId, Map<String, Object> overrides,
                             StartupWait wait) {
        Admin admin;
        try {
            admin = Admin.create(KafkaSettings.admin(bootstrapServers, clientId, overrides));
        } catch (KafkaException e) {
            throw wait.fatal("cannot connect to Kafka with bootstrapServers '" + bootstrapServers + "'", e);
        }
        wait.onCancel(() -> admin.close(Duration.ZERO));
        return admin;
    }

    /** Waits until the cluster answers. */
    public static void awaitCluster(Admin admin, String bootstrapServers, Duration attemptTimeout, StartupWait wait) {
        ClusterWaits.cluster(wait, admin, bootstrapServers, attemptTimeout, CLUSTER_HINT);
    }
}
