package dev.agentbrain.indexer.contract;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;

/**
 * A batch does not satisfy its index's contract; the message names expected and actual values. It
 * never will, so it is {@link Failure.Kind#REJECTED}: dead-lettered, not retried.
 */
public class ContractViolation extends RuntimeException implements KnownFailure {
  public ContractViolation(String message) {
    super(message);
  }

  @Override
  public Failure.Kind failureKind() {
    return Failure.Kind.REJECTED;
  }
}
