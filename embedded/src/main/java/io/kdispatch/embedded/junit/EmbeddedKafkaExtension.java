package io.kdispatch.embedded.junit;

import io.kdispatch.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a shared {@link EmbeddedKafka} into test constructors, lifecycle methods and test
 * methods that declare a parameter of that type.
 *
 * <p>One broker serves the whole test run of a JVM: it starts on first use and is kept in the
 * root {@link ExtensionContext.Store}, which closes it when the run ends. Tests sharing it must
 * use their own topic names and consumer group IDs. A test that must stop a broker starts its
 * own with {@link EmbeddedKafka#start()}.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedKafkaExtension.class)
 * class MyTest {
 *     @Test
 *     void works(EmbeddedKafka kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public EmbeddedKafka resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The broker shared by this test run, started if this is the first request. */
    public static EmbeddedKafka shared(ExtensionContext context) {
        // Values that are AutoCloseable are closed with the root store at the end of the run.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(EmbeddedKafka.class, key -> EmbeddedKafka.start(), EmbeddedKafka.class);
    }
}
