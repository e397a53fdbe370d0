package dev.agentbrain.embedding;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * The model could not embed a batch. The cause carries the provider's own error; {@link
 * #failureKind()} says what the failure means for the batch: {@link Failure.Kind#TRANSIENT} when
 * the same batch may succeed soon (the provider was unreachable, failing, slow or rate-limited, and
 * the client's own retries ran out), {@link Failure.Kind#REJECTED} when the provider refused this
 * batch or answered it with vectors that cannot be used (other dimensions), {@link
 * Failure.Kind#BROKEN} when every batch would fail until a person acts (a refused key, an unknown
 * model, no quota, a runtime failure).
 */
public class EmbeddingException extends RuntimeException implements KnownFailure {

  private final Failure.Kind kind;
  private final transient Optional<Duration> retryAfter;

  /** A failure of the model itself, not of the input: {@link Failure.Kind#BROKEN}. */
  public EmbeddingException(String message, Throwable cause) {
    this(message, Failure.Kind.BROKEN, Optional.empty(), cause);
  }

  /**
   * @param kind what the failure means for the batch
   * @param retryAfter how long the provider asked to wait, when it said
   */
  public EmbeddingException(
      String message, Failure.Kind kind, Optional<Duration> retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  @Override
  public Failure.Kind failureKind() {
    return kind;
  }

  @Override
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
