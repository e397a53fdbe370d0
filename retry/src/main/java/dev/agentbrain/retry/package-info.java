/**
 * What a failure means and what to do about it: the one error table of the pipeline ({@code
 * Failures}: try again, dead-letter, or stop and wait for a person) and the one retry loop with
 * exponential backoff and jitter ({@code Retry}, {@code RetryPolicy}).
 */
package dev.agentbrain.retry;
