package dev.agentbrain.storage;

/**
 * A backend failed. The message says what happened in words a user can act on; it never contains
 * SQL, a driver message or a stack trace (those go to the cause, for logs).
 */
public class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
