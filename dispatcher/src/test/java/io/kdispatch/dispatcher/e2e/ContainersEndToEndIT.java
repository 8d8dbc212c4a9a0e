package io.kdispatch.dispatcher.e2e;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same end-to-end contract against Testcontainers' Apache Kafka and an Apicurio Registry
 * container. Where no Docker engine is reachable, JUnit reports this class as skipped with the reason
 * "Docker is not available" (Testcontainers' {@code disabledWithoutDocker}).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersEndToEndIT extends EndToEndContract {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"));

    @Container
    static final GenericContainer<?> REGISTRY =
            new GenericContainer<>(DockerImageName.parse("apicurio/apicurio-registry-mem:2.6.13.Final"))
                    .withExposedPorts(8080)
                    .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200));

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }

    @Override
    String registryUrl() {
        return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080) + "/apis/ccompat/v7";
    }
}
