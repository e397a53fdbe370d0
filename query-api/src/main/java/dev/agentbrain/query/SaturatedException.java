package dev.agentbrain.query;

/** Too many searches run already; a retry a second later may be admitted. */
public final class SaturatedException extends RuntimeException {
  public SaturatedException(String message) {
    super(message);
  }
}
