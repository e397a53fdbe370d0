package dev.agentbrain.sink;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;

/**
 * Kafka did not acknowledge a dead letter, so the offset of the record it stands for may not be
 * committed: the batch is written again and the dead letter sent again.
 */
final class DeadLetterNotSent extends RuntimeException implements KnownFailure {

  DeadLetterNotSent(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@link Failure.Kind#TRANSIENT}: the dead-letter topic is unreachable for now. */
  @Override
  public Failure.Kind failureKind() {
    return Failure.Kind.TRANSIENT;
  }
}
