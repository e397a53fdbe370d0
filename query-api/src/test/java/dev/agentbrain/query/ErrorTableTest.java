package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Backend;
import dev.agentbrain.jobs.JobException;
import dev.agentbrain.registry.RegistryException;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.UnsupportedSearchException;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ErrorTable}: every failure it knows, with the status, body and Retry-After it sends. */
class ErrorTableTest {

  /** What a driver or a registry client may say: a host, a user, a stack of causes. */
  private static final String DRIVER =
      "FATAL: password authentication failed for user \"agentbrain\" at 10.0.0.7:5432";

  private static ApiError answer(RuntimeException failure) {
    return ErrorTable.answer(failure).orElseThrow();
  }

  private static void assertAnswer(
      RuntimeException failure, int status, String detail, OptionalInt retryAfter) {
    ApiError answer = answer(failure);
    assertThat(answer.status()).as("status of %s", failure).isEqualTo(status);
    assertThat(answer.body()).isEqualTo(Map.of("detail", detail));
    assertThat(answer.retryAfterSeconds()).isEqualTo(retryAfter);
  }

  private static BackendException backend(StorageException failure) {
    return new BackendException(Backend.CHROMA, "docs", 3, failure);
  }

  @Test
  @DisplayName("the service's own failures pass their message on, with their status")
  void ownFailures() {
    assertAnswer(
        new InvalidRequestException("top_k must be between 1 and 100"),
        400,
        "top_k must be between 1 and 100",
        OptionalInt.empty());
    assertAnswer(
        new InvalidRequestException(InvalidRequestException.Reason.TOO_LARGE, "too large"),
        413,
        "too large",
        OptionalInt.empty());
    assertAnswer(
        new InvalidRequestException(InvalidRequestException.Reason.NOT_JSON, "send JSON"),
        415,
        "send JSON",
        OptionalInt.empty());
    assertAnswer(new NotFoundException("no index"), 404, "no index", OptionalInt.empty());
    assertAnswer(
        new UnservableIndexException("other model"), 409, "other model", OptionalInt.empty());
    assertAnswer(new SaturatedException("busy"), 429, "busy", OptionalInt.of(1));
    assertAnswer(new UnavailableException("stopping"), 503, "stopping", OptionalInt.of(1));
  }

  @Test
  @DisplayName("a request body too large is worded as RequestBodies words it, with 413")
  void tooLargeBody() {
    assertAnswer(
        RequestBodies.tooLarge(),
        413,
        "the request body is larger than 1024 KiB: send a smaller one",
        OptionalInt.empty());
  }

  @Test
  @DisplayName("a caller without a valid token is 401, one whose token is not enough 403")
  void refusedCallers() {
    assertAnswer(
        new UnauthenticatedException("send a token"), 401, "send a token", OptionalInt.empty());
    assertAnswer(
        new AccessDeniedException("needs the admin token"),
        403,
        "needs the admin token",
        OptionalInt.empty());
  }

  @Test
  @DisplayName("a backend's failure is worded by what failed and where, never by its own message")
  void backendFailures() {
    assertAnswer(
        backend(new NoSuchIndexException(DRIVER)),
        404,
        "index 'docs' (version 3) holds nothing in chroma yet — publish documents to it, or wait"
            + " for the indexer",
        OptionalInt.empty());
    assertAnswer(
        backend(new ContractMismatchException(DRIVER)),
        409,
        "index 'docs' in chroma does not match its contract — reindex it (the server log names the"
            + " difference)",
        OptionalInt.empty());
    assertAnswer(
        backend(new StorageUnavailableException(DRIVER, new IOException(DRIVER))),
        503,
        "chroma did not answer: unreachable, or failing (its log says why) — try again shortly, or"
            + " check `make status`",
        OptionalInt.of(1));
    assertAnswer(
        backend(new StorageException(DRIVER, new IllegalStateException(DRIVER))),
        503,
        "the chroma backend failed to answer — try again shortly, or check `make status`",
        OptionalInt.of(1));
  }

  @Test
  @DisplayName("a search the backend cannot do is 501 in the adapter's words, written for a client")
  void unsupportedSearch() {
    assertAnswer(
        backend(new UnsupportedSearchException("chroma cannot search by keyword")),
        501,
        "chroma cannot search by keyword",
        OptionalInt.empty());
  }

  @Test
  @DisplayName("the registry's failure is 503 with a retry, never its own message")
  void registryFailure() {
    assertAnswer(
        new RegistryException(DRIVER, 0, new IOException(DRIVER)),
        503,
        "the schema registry is not reachable — try again shortly, or check `make status`",
        OptionalInt.of(1));
  }

  @Test
  @DisplayName("a refusal of the jobs service has the status of its reason and its own message")
  void jobRefusals() {
    Map<JobException.Reason, Integer> statuses =
        Map.of(
            JobException.Reason.INVALID, 400,
            JobException.Reason.NOT_ALLOWED, 403,
            JobException.Reason.NOT_FOUND, 404,
            JobException.Reason.CONFLICT, 409,
            JobException.Reason.UNAVAILABLE, 503);
    assertThat(statuses).hasSize(JobException.Reason.values().length);
    statuses.forEach(
        (reason, status) ->
            assertAnswer(
                new JobException(reason, "job says"),
                status,
                "job says",
                status == 503 ? OptionalInt.of(1) : OptionalInt.empty()));
  }

  @Test
  @DisplayName("a failure the table does not know has no answer: the caller logs it and sends 500")
  void unknownFailures() {
    assertThat(ErrorTable.answer(new IllegalStateException(DRIVER))).isEmpty();
    assertThat(ErrorTable.answer(new NullPointerException())).isEmpty();
    assertThat(ApiError.INTERNAL.body())
        .isEqualTo(Map.of("detail", "internal error — the server log has the details"));
  }

  @Test
  @DisplayName("no answer of a backend or registry failure carries the driver's words")
  void nothingLeaks() {
    for (RuntimeException failure :
        new RuntimeException[] {
          backend(new NoSuchIndexException(DRIVER)),
          backend(new ContractMismatchException(DRIVER)),
          backend(new StorageUnavailableException(DRIVER, new IOException(DRIVER))),
          backend(new StorageException(DRIVER, new IllegalStateException(DRIVER))),
          new RegistryException(DRIVER, 503, new IOException(DRIVER))
        }) {
      String detail = answer(failure).detail();
      assertThat(detail).doesNotContain("password", "10.0.0.7", "agentbrain", "Exception", "\tat ");
    }
  }
}
