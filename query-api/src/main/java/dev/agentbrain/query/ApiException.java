package dev.agentbrain.query;

import java.util.Map;
import java.util.OptionalInt;

/**
 * What a client sees of a failure: an HTTP status and a message that says what happened and what to
 * do. Never carries SQL, driver messages or stack traces. A route throws one for a request it
 * refuses itself; {@link ErrorTable} makes one from every other failure it knows.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final OptionalInt retryAfterSeconds;

  public ApiException(int status, String detail) {
    this(status, detail, OptionalInt.empty());
  }

  ApiException(int status, String detail, int retryAfterSeconds) {
    this(status, detail, OptionalInt.of(retryAfterSeconds));
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

  /** The body of the answer, the API's one error shape: {@code {"detail": "..."}}. */
  public Map<String, String> body() {
    return Map.of("detail", getMessage());
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

  /**
   * Anything {@link ErrorTable} does not know: the client learns only that the log has it (the
   * caller logs the cause).
   */
  public static ApiException internal() {
    return new ApiException(500, "internal error — the server log has the details");
  }
}
