package dev.agentbrain.registry;

/** The schema registry could not be reached or refused a request; the message says which. */
public class RegistryException extends RuntimeException {
  private final int status;

  public RegistryException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** HTTP status the registry answered with, or 0 when it could not be reached. */
  public int status() {
    return status;
  }
}
