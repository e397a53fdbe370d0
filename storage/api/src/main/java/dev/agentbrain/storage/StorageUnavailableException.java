package dev.agentbrain.storage;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;

/** The backend cannot be reached or is overloaded; the same call may succeed later. */
public class StorageUnavailableException extends StorageException implements KnownFailure {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@link Failure.Kind#TRANSIENT}: the backend is unreachable or overloaded, and the same call may
   * succeed later.
   */
  @Override
  public Failure.Kind failureKind() {
    return Failure.Kind.TRANSIENT;
  }
}
