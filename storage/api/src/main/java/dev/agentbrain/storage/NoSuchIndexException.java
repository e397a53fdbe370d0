package dev.agentbrain.storage;

/** The physical index does not exist in the backend (never created, or dropped). */
public class NoSuchIndexException extends StorageException {
  public NoSuchIndexException(String message) {
    super(message);
  }

  public NoSuchIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
