package dev.agentbrain.query;

import dev.agentbrain.jobs.JobException;
import dev.agentbrain.registry.RegistryException;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.UnsupportedSearchException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one table from failures to what a client sees ({@link ApiError}): the HTTP status, the {@code
 * detail} and, for a failure a retry may cure, the {@code Retry-After} seconds. The routes, the MCP
 * tools, resources and servlet, and the indexer's metrics endpoint all answer through it.
 *
 * <p>The service's own failures carry a message written for a person, which is passed on. A
 * backend's or the registry's failure is worded here from where it happened; its own message (a
 * host, a driver's words) goes only to the log, which {@link SearchService} writes when it fails.
 */
public final class ErrorTable {

  /** A retry a second later may succeed. */
  private static final OptionalInt RETRY_AFTER = OptionalInt.of(1);

  private ErrorTable() {}

  /**
   * What a client sees of a failure; empty for a failure the table does not know, which is a bug:
   * the caller logs it and answers {@link ApiError#INTERNAL}.
   */
  public static Optional<ApiError> answer(Throwable failure) {
    return Optional.ofNullable(
        switch (failure) {
          case InvalidRequestException e -> new ApiError(status(e.reason()), e.getMessage());
          case UnauthenticatedException e -> new ApiError(401, e.getMessage());
          case AccessDeniedException e -> new ApiError(403, e.getMessage());
          case NotFoundException e -> new ApiError(404, e.getMessage());
          case UnservableIndexException e -> new ApiError(409, e.getMessage());
          case SaturatedException e -> new ApiError(429, e.getMessage(), RETRY_AFTER);
          case UnavailableException e -> unavailable(e.getMessage());
          case RegistryException e ->
              unavailable(
                  "the schema registry is not reachable — try again shortly, or check `make"
                      + " status`");
          case BackendException e -> backend(e);
          case JobException e -> job(e);
          default -> null;
        });
  }

  private static int status(InvalidRequestException.Reason reason) {
    return switch (reason) {
      case INVALID -> 400;
      case TOO_LARGE -> 413;
      case NOT_JSON -> 415;
    };
  }

  private static ApiError backend(BackendException e) {
    String backend = e.backend().id();
    return switch (e.failure()) {
      case NoSuchIndexException missing ->
          new ApiError(
              404,
              "index '"
                  + e.index()
                  + "' (version "
                  + e.version()
                  + ") holds nothing in "
                  + backend
                  + " yet — publish documents to it, or wait for the indexer");
      case ContractMismatchException mismatch ->
          new ApiError(
              409,
              "index '"
                  + e.index()
                  + "' in "
                  + backend
                  + " does not match its contract — reindex it (the server log names the"
                  + " difference)");
      // the adapters word what they cannot search for a client
      case UnsupportedSearchException unsupported -> new ApiError(501, unsupported.getMessage());
      // also a backend that answers 5xx (Chroma refusing a search): "not reachable" would send
      // people looking at the network
      case StorageUnavailableException unavailable ->
          unavailable(
              backend
                  + " did not answer: unreachable, or failing (its log says why) — try again"
                  + " shortly, or check `make status`");
      default ->
          unavailable(
              "the "
                  + backend
                  + " backend failed to answer — try again shortly, or check `make status`");
    };
  }

  /** A refusal of the jobs service, by its reason; its message is written for a client. */
  private static ApiError job(JobException e) {
    return switch (e.reason()) {
      case INVALID -> new ApiError(400, e.getMessage());
      case NOT_ALLOWED -> new ApiError(403, e.getMessage());
      case NOT_FOUND -> new ApiError(404, e.getMessage());
      case CONFLICT -> new ApiError(409, e.getMessage());
      case UNAVAILABLE -> unavailable(e.getMessage());
    };
  }

  private static ApiError unavailable(String detail) {
    return new ApiError(503, detail, RETRY_AFTER);
  }
}
