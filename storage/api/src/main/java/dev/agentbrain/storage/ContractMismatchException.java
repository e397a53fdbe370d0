package dev.agentbrain.storage;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;

/** A stored index does not match the contract it is used with; the message names both values. */
public class ContractMismatchException extends StorageException implements KnownFailure {
  public ContractMismatchException(String message) {
    super(message);
  }

  /**
   * The one wording every backend uses for a property of a stored index that differs from the
   * contract, e.g. "index docs_v1 in PostgreSQL has dimensions 384, but the contract expects 768".
   */
  public static ContractMismatchException ofIndex(
      String physicalName, String backend, String property, Object actual, Object expected) {
    return new ContractMismatchException(
        "index %s in %s has %s %s, but the contract expects %s; use a new index version (or drop this one)"
            .formatted(physicalName, backend, property, actual, expected));
  }

  /**
   * {@link Failure.Kind#REJECTED}: what was written does not fit the index, however often it is
   * tried.
   */
  @Override
  public Failure.Kind failureKind() {
    return Failure.Kind.REJECTED;
  }
}
