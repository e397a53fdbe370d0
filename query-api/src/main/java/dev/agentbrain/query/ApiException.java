package dev.agentbrain.query;

import java.util.OptionalInt;

/**
 * An error a client sees: an HTTP status and a message that says what happened and what to do.
 * Never carries SQL, driver messages or stack traces.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final OptionalInt retryAfterSeconds;

  public ApiException(int status, String detail) {
    this(status, detail, OptionalInt.empty());
  }

  private ApiException(int status, String detail, OptionalInt retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  /** Seconds after which a retry may succeed; sent as the {@code Retry-After} header. */
  public OptionalInt retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, detail);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, detail);
  }

  /** The index's contract cannot be served by this service (model or dimensions differ). */
  public static ApiException contractMismatch(String detail) {
    return new ApiException(409, detail);
  }

  /** Too many requests in flight: the client should retry after the given seconds. */
  public static ApiException saturated(String detail, int retryAfterSeconds) {
    return new ApiException(429, detail, OptionalInt.of(retryAfterSeconds));
  }

  /**
   * Anything that is not an {@code ApiException}: the client learns only that the log has it (the
   * caller logs the cause).
   */
  public static ApiException internal() {
    return new ApiException(500, "internal error — the server log has the details");
  }

  /** A dependency (backend, registry) cannot answer now; a retry after a second may succeed. */
  public static ApiException unavailable(String detail) {
    return new ApiException(503, detail, OptionalInt.of(1));
  }
}
