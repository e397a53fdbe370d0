package dev.agentbrain.embedding.http;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a transient failure is retried: exponential backoff with jitter.
 *
 * @param maxRetries retries after the first attempt, 0 or more
 * @param initialBackoff pause before the first retry, positive
 * @param maxBackoff longest pause between attempts, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

  /**
   * The longest wait a server's {@code Retry-After} is honoured for; a server asking for more is
   * treated as down for now, so a batch fails instead of hanging.
   */
  public static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(60);

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
