package io.kdispatch.dispatcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The core (routing, health, breaker, attempt lifecycle) is plain Java: records in, decisions out, no
 * Kafka, no wire format, no metrics library.
 */
@AnalyzeClasses(packages = "io.kdispatch.dispatcher", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule routingCoreHasNoKafkaOrWireTypes = noClasses()
            .that().resideInAnyPackage("..dispatcher.routing..", "..dispatcher.health..", "..dispatcher.attempt..",
                    "..dispatcher.breaker..", "..dispatcher.quota..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.avro..",
                    "io.kdispatch.schemas..", "io.micrometer..", "io.kdispatch.dispatcher.topology..",
                    "io.kdispatch.dispatcher.app..", "io.kdispatch.dispatcher.config..")
            .because("the routing core is plain Java over immutable records (DESIGN.md, STYLE.md #1); the settings "
                    + "catalogue reads its bounds, not the reverse");

    @ArchTest
    static final ArchRule onlyTopologyAppDemoAndCliTouchKafkaStreams = noClasses()
            .that().resideInAnyPackage("..dispatcher.routing..", "..dispatcher.health..", "..dispatcher.attempt..",
                    "..dispatcher.breaker..", "..dispatcher.config..",
                    "..dispatcher.metrics..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka.streams..")
            .because("only topology and app touch Kafka Streams");

    @ArchTest
    static final ArchRule simulatorRunsTheProductNotKafka = noClasses()
            .that().resideInAnyPackage("..dispatcher.simulate..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.micrometer..",
                    "io.kdispatch.dispatcher.app..", "io.kdispatch.dispatcher.cli..")
            .because("the simulator drives the dispatcher's own processors through topology.VirtualDispatcher, in "
                    + "virtual time, with no broker and no Kafka client (docs/SIMULATE.md)");

    @ArchTest
    static final ArchRule micrometerStaysInMetrics = noClasses()
            .that().resideOutsideOfPackages("..dispatcher.metrics..", "..dispatcher.app..", "..dispatcher.cli..",
                    "..dispatcher.demo..")
            .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..")
            .because("the core reports through the DispatchMetrics interface (STYLE.md #7)");

    @ArchTest
    static final ArchRule openTelemetryStaysInTopologyAndApp = noClasses()
            .that().resideOutsideOfPackages("..dispatcher.topology..", "..dispatcher.app..", "..dispatcher.testing..")
            .should().dependOnClassesThat().resideInAnyPackage("io.opentelemetry..")
            .because("route spans are made where decisions are applied (RouteTracing), never in the routing core");
}
