package dev.agentbrain.storage;

/** The backend cannot be reached or is overloaded; the same call may succeed later. */
public class StorageUnavailableException extends StorageException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
