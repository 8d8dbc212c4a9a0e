package io.kdispatch.embedded.junit;

import io.kdispatch.embedded.EmbeddedRegistry;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a shared {@link EmbeddedRegistry} into test constructors, lifecycle methods and test
 * methods that declare a parameter of that type.
 *
 * <p>One registry process serves the whole test run of a JVM: it starts on first use and is kept
 * in the root {@link ExtensionContext.Store}, which closes it when the run ends. Tests sharing it
 * must use their own subject names.
 */
public final class EmbeddedRegistryExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedRegistryExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedRegistry.class;
    }

    @Override
    public EmbeddedRegistry resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The registry shared by this test run, started if this is the first request. */
    public static EmbeddedRegistry shared(ExtensionContext context) {
        // Values that are AutoCloseable are closed with the root store at the end of the run.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(EmbeddedRegistry.class, key -> EmbeddedRegistry.start(), EmbeddedRegistry.class);
    }
}
