package dev.agentbrain.storage;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;

/** The physical index does not exist in the backend (never created, or dropped). */
public class NoSuchIndexException extends StorageException implements KnownFailure {
  public NoSuchIndexException(String message) {
    super(message);
  }

  public NoSuchIndexException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@link Failure.Kind#TRANSIENT}: the index may be created (again); a writer re-creates it and
   * retries.
   */
  @Override
  public Failure.Kind failureKind() {
    return Failure.Kind.TRANSIENT;
  }
}
