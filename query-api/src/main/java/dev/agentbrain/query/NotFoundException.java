package dev.agentbrain.query;

/** What the request names does not exist (an index, a chunk); the message says where to look. */
public final class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message);
  }
}
