package io.kdispatch.dispatcher.e2e;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The end-to-end contract on the in-process KRaft broker and an Apicurio Registry child process. */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class EmbeddedEndToEndIT extends EndToEndContract {
    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;

    EmbeddedEndToEndIT(EmbeddedKafka kafka, EmbeddedRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    String registryUrl() {
        return registry.url();
    }
}
