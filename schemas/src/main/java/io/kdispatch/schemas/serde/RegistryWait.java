package io.kdispatch.schemas.serde;

import io.kdispatch.schemas.startup.StartupWait;

/**
 * The start-up step "the schema registry answers", so that a component started before its registry
 * waits for it instead of failing on its first record.
 *
 * <p>Any answer counts, even an error status, except the ones retrying may cure (no response, 408,
 * 429, 5xx; see {@link SchemaRegistryException#isRetriable()}): a wrong URL or wrong credentials fail
 * on first use with the registry's own message, at once, instead of after the whole wait.
 */
public final class RegistryWait {
    private RegistryWait() {
    }

    /**
     * Waits until the registry of {@code config} answers. Returns at once for {@code mock://} URLs and
     * when a {@link SerdeProvider} replaces the registry serde (whether it uses a registry is its own
     * business).
     *
     * @throws io.kdispatch.schemas.startup.StartupException when the wait limit is reached or the wait stopped
     */
    public static void await(SerdeConfig config, StartupWait wait) {
        if (config.isMock() || config.providerClass() != null) {
            return;
        }
        try (RestSchemaRegistryClient client = RestSchemaRegistryClient.create(config)) {
            // The client's own connect and request timeouts bound each try.
            wait.until("the schema registry at " + config.registryUrl(), config.requestTimeout(), timeout -> {
                try {
                    client.ping();
                    return StartupWait.Outcome.ready(null);
                } catch (SchemaRegistryException e) {
                    return e.isRetriable() ? StartupWait.Outcome.notReady(e.getMessage(), null)
                            : StartupWait.Outcome.ready(null);
                }
            });
        }
    }
}
