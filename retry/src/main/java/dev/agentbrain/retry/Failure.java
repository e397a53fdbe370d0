package dev.agentbrain.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a failure means for whoever must decide what to do with the work that failed: try again,
 * dead-letter it, or stop and wait for a person. {@link Failures#classify} makes one from any
 * exception.
 *
 * @param kind what to do about it
 * @param retryAfter how long the failing side asked to wait, when it said (only for {@link
 *     Kind#TRANSIENT})
 * @param cause the exception classified
 */
public record Failure(Kind kind, Optional<Duration> retryAfter, Throwable cause) {

  /** The closed set of answers to "what now?". */
  public enum Kind {
    /**
     * The same call may succeed soon: a service is unreachable, overloaded, timed out or rate
     * limited. Retry with backoff; pause the work meanwhile; never dead-letter it.
     */
    TRANSIENT,
    /**
     * This input can never succeed, however often it is tried (bad data, a contract violation):
     * dead-letter it and go on with the rest.
     */
    REJECTED,
    /**
     * Every input would fail the same way until a person changes something that is not the data:
     * credentials, a missing model, a quota, a bug. Dead-lettering would throw good data away, so
     * stop or back off slowly, and say so where an operator looks (health, metrics, the log).
     */
    BROKEN
  }

  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(cause, "cause");
  }

  /** Whether trying again, after a pause, can help. */
  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }

  /** The cause's message, for logs and for people: never empty. */
  public String message() {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
