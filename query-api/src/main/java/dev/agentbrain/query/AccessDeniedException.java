package dev.agentbrain.query;

/**
 * The caller may not do what it asked (e.g. choose a backend without the admin token); the message
 * says what it needs.
 */
public final class AccessDeniedException extends RuntimeException {
  public AccessDeniedException(String message) {
    super(message);
  }
}
