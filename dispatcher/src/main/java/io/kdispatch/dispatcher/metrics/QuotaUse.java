package io.kdispatch.dispatcher.metrics;

/**
 * One stream task's tasks in flight for a quota's name, with the configured fleet-wide limit.
 *
 * @param scope {@code type} or {@code tenant}
 * @param name a configured task type or tenant, or {@code other} for all the rest together
 * @param inFlight tasks of it in flight on this stream task
 * @param limit the configured fleet-wide limit, 0 for none
 */
public record QuotaUse(String scope, String name, long inFlight, long limit) {
}
