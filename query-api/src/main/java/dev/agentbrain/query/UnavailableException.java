package dev.agentbrain.query;

/** The service cannot answer now (it is stopping); the message says where or when to try again. */
public final class UnavailableException extends RuntimeException {
  public UnavailableException(String message) {
    super(message);
  }
}
