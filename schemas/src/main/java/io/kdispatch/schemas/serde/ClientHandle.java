package io.kdispatch.schemas.serde;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry client shared by the serializer and deserializer of one serde. Kafka may close either
 * half on its own (a producer closes its serializer), so the client is closed when the last holder
 * releases it, and only when the serde created it.
 */
final class ClientHandle {
    private final SchemaRegistryClient client;
    private final boolean owned;
    private final AtomicInteger holders = new AtomicInteger();

    private ClientHandle(SchemaRegistryClient client, boolean owned) {
        this.client = client;
        this.owned = owned;
    }

    /** A handle that closes the client made from {@code config} when the last holder releases it. */
    static ClientHandle owned(SerdeConfig config) {
        return new ClientHandle(SchemaRegistryClient.forConfig(config), true);
    }

    /** A handle on a client whose lifecycle the caller manages. */
    static ClientHandle borrowed(SchemaRegistryClient client) {
        return new ClientHandle(client, false);
    }

    SchemaRegistryClient acquire() {
        holders.incrementAndGet();
        return client;
    }

    void release() {
        if (holders.decrementAndGet() == 0 && owned) {
            client.close();
        }
    }
}
