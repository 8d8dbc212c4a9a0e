/** Test kit for code that embeds workers: {@link io.kdispatch.sdk.testing.ExecutionLog}. */
package io.kdispatch.sdk.testing;
