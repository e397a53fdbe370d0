package dev.agentbrain.embedding;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;

/**
 * A text a model cannot embed however often it is asked (blank, too long, too large for a request):
 * {@link Failure.Kind#REJECTED}, so a pipeline dead-letters it instead of waiting for it.
 */
public class RefusedTextException extends IllegalArgumentException implements KnownFailure {

  public RefusedTextException(String message) {
    super(message);
  }

  @Override
  public Failure.Kind failureKind() {
    return Failure.Kind.REJECTED;
  }
}
