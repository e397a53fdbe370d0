package dev.agentbrain.query;

/**
 * The index's contract cannot be served by this service (its model cannot be loaded, or makes
 * vectors of other dimensions); the message names the difference and what to do.
 */
public final class UnservableIndexException extends RuntimeException {
  public UnservableIndexException(String message) {
    super(message);
  }
}
