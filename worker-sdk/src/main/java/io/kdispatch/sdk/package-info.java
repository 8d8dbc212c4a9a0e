/**
 * The kdispatch worker SDK: {@link io.kdispatch.sdk.Worker} runs tasks the dispatcher assigns,
 * {@link io.kdispatch.sdk.SubmitClient} submits tasks. Everything outside this package and
 * {@code io.kdispatch.sdk.testing} is internal and may change.
 */
package io.kdispatch.sdk;
