package dev.agentbrain.query;

/**
 * A request the service cannot take as it is: a value out of its range, an unknown name, a filter
 * it cannot parse, a body too large or not JSON. The message says which and what to send instead; a
 * client sees it as it is ({@link ErrorTable}).
 */
public final class InvalidRequestException extends RuntimeException {

  /** What is wrong with the request. */
  public enum Reason {
    /** A field, parameter or value is wrong. */
    INVALID,
    /** The body is larger than the service reads. */
    TOO_LARGE,
    /** The body is not JSON. */
    NOT_JSON
  }

  private final Reason reason;

  /** A request with a wrong field, parameter or value ({@link Reason#INVALID}). */
  public InvalidRequestException(String message) {
    this(Reason.INVALID, message);
  }

  public InvalidRequestException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
