package io.kdispatch.dispatcher.cli;

import io.kdispatch.sdk.TaskContext;
import io.kdispatch.sdk.TaskHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The example workers' handler: pretends to work for {@code workMs} (plus up to 50% jitter), fails when
 * the payload says {@code fail} or with probability {@code failRate}, and echoes the payload.
 */
final class ExampleHandler implements TaskHandler {
    private final long workMs;
    private final double failRate;

    ExampleHandler(long workMs, double failRate) {
        if (workMs < 0) {
            throw new IllegalArgumentException("--work-ms must not be negative, was " + workMs);
        }
        if (failRate < 0 || failRate > 1) {
            throw new IllegalArgumentException("--fail-rate must be between 0 and 1, was " + failRate);
        }
        this.workMs = workMs;
        this.failRate = failRate;
    }

    @Override
    public byte[] handle(TaskContext context) throws Exception {
        if (workMs > 0) {
            // Simulated work: this is what a real handler's computation would take.
            Thread.sleep(workMs + ThreadLocalRandom.current().nextLong(workMs / 2 + 1));
        }
        String payload = new String(context.payload(), StandardCharsets.UTF_8);
        if ("fail".equals(payload)) {
            throw new IllegalStateException("payload asked to fail");
        }
        if (failRate > 0 && ThreadLocalRandom.current().nextDouble() < failRate) {
            throw new IllegalStateException("simulated failure (fail rate " + failRate + ")");
        }
        return context.payload();
    }
}
