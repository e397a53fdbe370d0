package dev.agentbrain.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FailuresTest {

  /** An exception that says what it is, as storage and embedding exceptions do. */
  static final class Said extends RuntimeException implements KnownFailure {
    private final Failure.Kind kind;
    private final Optional<Duration> retryAfter;

    Said(Failure.Kind kind, Optional<Duration> retryAfter, Throwable cause) {
      super("said " + kind, cause);
      this.kind = kind;
      this.retryAfter = retryAfter;
    }

    @Override
    public Failure.Kind failureKind() {
      return kind;
    }

    @Override
    public Optional<Duration> retryAfter() {
      return retryAfter;
    }
  }

  @Test
  @DisplayName(
      "an exception nobody classified is broken, never rejected: no data is given up for a bug")
  void unknownIsBroken() {
    assertThat(Failures.classify(new NullPointerException()).kind()).isEqualTo(Failure.Kind.BROKEN);
    assertThat(Failures.classify(new IllegalStateException("x")).kind())
        .isEqualTo(Failure.Kind.BROKEN);
  }

  @Test
  @DisplayName("a network failure anywhere in the cause chain is transient")
  void networkIsTransient() {
    assertThat(Failures.classify(new RuntimeException(new ConnectException("refused"))).kind())
        .isEqualTo(Failure.Kind.TRANSIENT);
    assertThat(
            Failures.classify(new IllegalStateException(new HttpConnectTimeoutException("t")))
                .kind())
        .isEqualTo(Failure.Kind.TRANSIENT);
  }

  @ParameterizedTest
  @CsvSource({
    "08006,TRANSIENT",
    "53300,TRANSIENT",
    "57P01,TRANSIENT",
    "40001,TRANSIENT",
    "40P01,TRANSIENT",
    "28P01,BROKEN",
    "42501,BROKEN",
    "22021,REJECTED",
    "23505,REJECTED"
  })
  @DisplayName("SQL errors are classified by SQLSTATE, before what the wrapping exception says")
  void sqlState(String state, Failure.Kind kind) {
    RuntimeException wrapped =
        new Said(Failure.Kind.REJECTED, Optional.empty(), new SQLException("m", state));
    assertThat(Failures.classify(wrapped).kind()).isEqualTo(kind);
  }

  @Test
  @DisplayName(
      "otherwise the outermost exception that knows what it is decides, with its Retry-After")
  void knownFailure() {
    Said inner = new Said(Failure.Kind.REJECTED, Optional.empty(), null);
    Said outer = new Said(Failure.Kind.TRANSIENT, Optional.of(Duration.ofSeconds(7)), inner);
    Failure failure = Failures.classify(new RuntimeException("wrapper", outer));
    assertThat(failure.kind()).isEqualTo(Failure.Kind.TRANSIENT);
    assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(failure.message()).isEqualTo("wrapper");
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  @DisplayName("HTTP 408, 429 and 5xx but 501 are transient")
  void transientStatus(int status) {
    assertThat(Failures.ofHttpStatus(status)).isEqualTo(Failure.Kind.TRANSIENT);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 404, 501})
  @DisplayName("HTTP 401, 403, 404 and 501 are broken: no input would get through")
  void brokenStatus(int status) {
    assertThat(Failures.ofHttpStatus(status)).isEqualTo(Failure.Kind.BROKEN);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 413, 422})
  @DisplayName("other 4xx refused this request's content")
  void rejectedStatus(int status) {
    assertThat(Failures.ofHttpStatus(status)).isEqualTo(Failure.Kind.REJECTED);
  }

  @Test
  @DisplayName("Retry-After in seconds, as an HTTP date, or OpenAI's retry-after-ms")
  void retryAfter() {
    Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    assertThat(Failures.retryAfter(headers(Map.of("Retry-After", "7")), clock))
        .contains(Duration.ofSeconds(7));
    assertThat(
            Failures.retryAfter(
                headers(Map.of("Retry-After", "Wed, 01 Jan 2025 00:00:30 GMT")), clock))
        .contains(Duration.ofSeconds(30));
    assertThat(
            Failures.retryAfter(
                headers(Map.of("retry-after-ms", "250", "Retry-After", "7")), clock))
        .contains(Duration.ofMillis(250));
    assertThat(Failures.retryAfter(headers(Map.of("Retry-After", "soon")), clock)).isEmpty();
  }

  @Test
  @DisplayName("an IOException that is not a network failure says nothing by itself")
  void plainIoException() {
    assertThat(Failures.classify(new RuntimeException(new IOException("HTTP 500"))).kind())
        .isEqualTo(Failure.Kind.BROKEN);
  }

  private static HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> multi = new java.util.HashMap<>();
    values.forEach((k, v) -> multi.put(k, List.of(v)));
    return HttpHeaders.of(multi, (k, v) -> true);
  }
}
