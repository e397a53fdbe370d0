package dev.agentbrain.embedding.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.params.provider.ValueSource;

class ApiFailureTest {

  private static final HttpEmbeddingConfig CONFIG =
      HttpEmbeddingConfig.defaults(
          RemoteProvider.OPENAI, URI.create("http://127.0.0.1:1"), "text-embedding-3-small");

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static ApiFailure status(int status, Map<String, String> headers) {
    HttpHeaders httpHeaders =
        HttpHeaders.of(
            headers.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> List.of(e.getValue()))),
            (name, value) -> true);
    return ApiFailure.ofStatus(
        status, httpHeaders, "{}".getBytes(StandardCharsets.UTF_8), CONFIG, CLOCK);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  @DisplayName("overload and server failures are transient")
  void transientStatuses(int code) {
    assertThat(status(code, Map.of())).isInstanceOf(ApiFailure.Transient.class);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 413, 422, 501})
  @DisplayName("a refused request and 501 are permanent")
  void permanentStatuses(int code) {
    assertThat(status(code, Map.of())).isInstanceOf(ApiFailure.Permanent.class);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {401, 403, 404})
  @DisplayName("a refused key or an unknown model puts the service out of service, not the input")
  void outOfServiceStatuses(int code) {
    assertThat(status(code, Map.of())).isInstanceOf(ApiFailure.OutOfService.class);
  }

  @Test
  @DisplayName("no quota left puts the service out of service until the account is fixed")
  void quota() {
    HttpHeaders none = HttpHeaders.of(Map.of(), (name, value) -> true);
    byte[] body =
        "{\"error\":{\"message\":\"You exceeded your current quota\",\"code\":\"insufficient_quota\"}}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(ApiFailure.ofStatus(429, none, body, CONFIG, CLOCK))
        .isInstanceOf(ApiFailure.OutOfService.class);
  }

  @Test
  @DisplayName("connection failures and timeouts are transient")
  void transientExceptions() {
    for (IOException e :
        List.of(
            new ConnectException("refused"),
            new HttpTimeoutException("slow"),
            new IOException("reset"))) {
      assertThat(ApiFailure.ofException(e, CONFIG)).isInstanceOf(ApiFailure.Transient.class);
    }
  }

  @Test
  @DisplayName("Retry-After is read as seconds or as an HTTP date")
  void retryAfter() {
    assertThat(((ApiFailure.Transient) status(429, Map.of("Retry-After", "7"))).retryAfter())
        .isEqualTo(Optional.of(Duration.ofSeconds(7)));
    assertThat(
            ((ApiFailure.Transient)
                    status(503, Map.of("Retry-After", "Wed, 01 Jan 2025 00:00:30 GMT")))
                .retryAfter())
        .isEqualTo(Optional.of(Duration.ofSeconds(30)));
    assertThat(((ApiFailure.Transient) status(503, Map.of("Retry-After", "soon"))).retryAfter())
        .isEmpty();
  }
}
