package dev.agentbrain.query;

import java.util.Map;
import java.util.OptionalInt;

/**
 * What a client sees of a failure, as {@link ErrorTable} words it: an HTTP status and a message
 * that says what happened and what to do. Never carries SQL, driver messages or stack traces.
 *
 * @param status the HTTP status
 * @param detail the message
 * @param retryAfterSeconds seconds after which a retry may succeed; sent as {@code Retry-After}
 */
public record ApiError(int status, String detail, OptionalInt retryAfterSeconds) {

  /**
   * The answer to anything {@link ErrorTable} does not know: the client learns only that the log
   * has it (the caller logs the cause).
   */
  public static final ApiError INTERNAL =
      new ApiError(500, "internal error — the server log has the details");

  public ApiError(int status, String detail) {
    this(status, detail, OptionalInt.empty());
  }

  /** The body of the answer, the API's one error shape: {@code {"detail": "..."}}. */
  public Map<String, String> body() {
    return Map.of("detail", detail);
  }
}
