package dev.agentbrain.registry;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.Failures;
import dev.agentbrain.retry.KnownFailure;

/** The schema registry could not be reached or refused a request; the message says which. */
public class RegistryException extends RuntimeException implements KnownFailure {
  private final int status;

  public RegistryException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** HTTP status the registry answered with, or 0 when it could not be reached. */
  public int status() {
    return status;
  }

  /**
   * {@link Failure.Kind#TRANSIENT} when the registry could not be reached, else as {@link
   * Failures#ofHttpStatus} says of its answer.
   */
  @Override
  public Failure.Kind failureKind() {
    return status == 0 ? Failure.Kind.TRANSIENT : Failures.ofHttpStatus(status);
  }
}
