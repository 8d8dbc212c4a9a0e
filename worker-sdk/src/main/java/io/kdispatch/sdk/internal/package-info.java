/**
 * Implementation of the worker SDK. Not an API: may change in any release.
 *
 * <p>Threads of one worker: {@code kdispatch-worker-<id>-poll} (owns the consumer, commits),
 * {@code kdispatch-worker-<id>-task-<n>} ({@code capacity} of them, run handlers and wait for
 * result acknowledgements), {@code kdispatch-worker-<id>-heartbeat}, {@code kdispatch-worker-<id>-lease}
 * (renews the leases of running tasks), plus the Kafka clients' own
 * threads, named after client IDs {@code kdispatch-worker-<id>-*}.
 */
package io.kdispatch.sdk.internal;
