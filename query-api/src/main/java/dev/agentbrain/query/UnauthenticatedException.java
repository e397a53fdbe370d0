package dev.agentbrain.query;

/** The caller sent no valid token where one is needed; the message says what to send. */
public final class UnauthenticatedException extends RuntimeException {
  public UnauthenticatedException(String message) {
    super(message);
  }
}
