package dev.agentbrain.indexer.contract;

/** A batch does not satisfy its index's contract; the message names expected and actual values. */
public class ContractViolation extends RuntimeException {
  public ContractViolation(String message) {
    super(message);
  }
}
