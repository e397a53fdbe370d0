package dev.agentbrain.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a transient failure is retried: exponential backoff with jitter.
 *
 * @param maxRetries retries after the first attempt, 0 or more; {@link #UNBOUNDED} for a worker
 *     that retries until it is stopped
 * @param initialBackoff pause before the first retry, positive
 * @param maxBackoff longest pause between attempts, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

  /**
   * The longest wait a server's {@code Retry-After} is honoured for; a server asking for more is
   * treated as down for now, so a batch fails instead of hanging.
   */
  public static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(60);

  /** {@link #maxRetries} of a policy that never gives up by itself. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  /** Retries until the caller stops: for workers that must not drop what they hold. */
  public static RetryPolicy unbounded(Duration initialBackoff, Duration maxBackoff) {
    return new RetryPolicy(UNBOUNDED, initialBackoff, maxBackoff);
  }

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("retries must be 0 or more, not " + maxRetries);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("the backoff must be positive, not " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "the longest backoff (%s) must be at least the first (%s)"
              .formatted(maxBackoff, initialBackoff));
    }
  }

  /**
   * The pause before retry number {@code retry} (1 for the first): {@code initialBackoff} doubled
   * per retry up to {@code maxBackoff}, then a random point in its upper half, so that clients
   * failing together do not retry together.
   */
  public Duration backoff(int retry, RandomGenerator random) {
    long ceiling = initialBackoff.toNanos();
    for (int i = 1; i < retry && ceiling < maxBackoff.toNanos(); i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, maxBackoff.toNanos());
    return Duration.ofNanos(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
  }
}
