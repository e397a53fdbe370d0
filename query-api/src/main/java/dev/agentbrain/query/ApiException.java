package dev.agentbrain.query;

/**
 * An error a client sees: an HTTP status and a message that says what happened and what to do.
 * Never carries SQL, driver messages or stack traces.
 */
public class ApiException extends RuntimeException {

  private final int status;

  public ApiException(int status, String detail) {
    super(detail);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, detail);
  }

  public static ApiException unavailable(String detail) {
    return new ApiException(503, detail);
  }
}
