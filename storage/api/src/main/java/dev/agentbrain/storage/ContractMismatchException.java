package dev.agentbrain.storage;

/** A stored index does not match the contract it is used with; the message names both values. */
public class ContractMismatchException extends StorageException {
  public ContractMismatchException(String message) {
    super(message);
  }
}
