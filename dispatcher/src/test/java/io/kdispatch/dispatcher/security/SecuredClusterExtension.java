package io.kdispatch.dispatcher.security;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the {@link SecuredCluster} shared by this test run: started on first use, closed with the root
 * store when the run ends (as {@code EmbeddedKafkaExtension} does for the plain broker).
 */
final class SecuredClusterExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SecuredClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SecuredCluster.class;
    }

    @Override
    public SecuredCluster resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Values that are AutoCloseable are closed with the root store at the end of the run.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SecuredCluster.class, key -> SecuredCluster.start(), SecuredCluster.class);
    }
}
