package dev.agentbrain.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * Implemented by exceptions that know what kind of failure they report, so that {@link
 * Failures#classify} need not guess. The thrower decides: it alone knows, for example, that an HTTP
 * 429 answer was a rate limit and not a refused input.
 */
public interface KnownFailure {

  /** What the failure means for the work that failed. */
  Failure.Kind failureKind();

  /** How long the failing side asked to wait before a retry, when it said. */
  default Optional<Duration> retryAfter() {
    return Optional.empty();
  }
}
