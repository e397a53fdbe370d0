package dev.agentbrain.embedding.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.agentbrain.embedding.EmbeddingException;
import dev.agentbrain.embedding.ModelInfo;
import dev.agentbrain.embedding.TextTooLongException;
import dev.agentbrain.retry.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiCompatibleEmbeddingModelTest {

  private static final String KEY = "sk-test-5ecret-do-not-print";

  @RegisterExtension final FakeEmbeddingServer server = new FakeEmbeddingServer();

  /** text-embedding-3-small on the fake server, with a key and 8 dimensions unless overridden. */
  private RemoteEmbeddingModel open(String... settings) {
    List<String> all = new ArrayList<>(List.of("API_KEY", KEY, "DIMENSIONS", "8"));
    all.addAll(List.of(settings));
    return server.open(RemoteProvider.OPENAI, "text-embedding-3-small", all.toArray(String[]::new));
  }

  private static List<String> texts(int count) {
    return IntStream.range(0, count).mapToObj(i -> "passage number " + i).toList();
  }

  @Test
  @DisplayName("vectors come back in input order, sorted by index, normalised, with the key sent")
  void embedsInOrder() {
    try (RemoteEmbeddingModel model = open()) {
      List<String> texts = texts(5);

      List<float[]> vectors = model.embedPassages(texts);

      assertThat(vectors).hasSize(5);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(vectors.get(i))
            .containsExactly(FakeEmbeddingServer.unitVectorOf(texts.get(i), 8), within(1e-6f));
      }
      FakeEmbeddingServer.Received request = server.received().get(0);
      assertThat(request.path()).isEqualTo("/v1/embeddings");
      assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
      assertThat(request.body().path("model").asText()).isEqualTo("text-embedding-3-small");
      assertThat(request.body().path("dimensions").asInt()).isEqualTo(8);
      assertThat(request.inputs()).isEqualTo(texts);
    }
  }

  @Test
  @DisplayName("the model describes itself under the name a contract records")
  void describesItself() {
    try (RemoteEmbeddingModel model = open()) {
      assertThat(model.info())
          .isEqualTo(new ModelInfo("openai", "openai:text-embedding-3-small", 8, 8191, true));
    }
    try (RemoteEmbeddingModel model = open("NORMALIZE", "false")) {
      assertThat(model.info().normalized()).isFalse();
      assertThat(model.embedPassages(List.of("raw")).get(0))
          .containsExactly(FakeEmbeddingServer.vectorOf("raw", 8));
    }
  }

  @Test
  @DisplayName("without configured dimensions one probe request learns them")
  void probesDimensions() {
    server.dimensions(12);
    Map<String, String> environment = Map.of("AGENT_BRAIN_OPENAI_BASE_URL", server.url() + "/v1/");
    try (RemoteEmbeddingModel model =
        RemoteEmbeddingModel.open(
            HttpEmbeddingConfig.fromEnvironment(RemoteProvider.OPENAI, "m", environment))) {
      assertThat(model.info().dimensions()).isEqualTo(12);
      assertThat(model.endpoint()).isEqualTo(server.url().resolve("/v1/embeddings"));
      assertThat(server.received()).hasSize(1);
      assertThat(server.received().get(0).authorization()).isNull();
      assertThat(server.received().get(0).body().has("dimensions")).isFalse();
    }
  }

  @Test
  @DisplayName("a batch is split at the texts-per-request cap and reassembled in order")
  void splitsByCount() {
    try (RemoteEmbeddingModel model = open("BATCH_SIZE", "3", "CONCURRENCY", "2")) {
      List<String> texts = texts(10);

      List<float[]> vectors = model.embedPassages(texts);

      assertThat(server.received()).hasSize(4);
      assertThat(server.received()).allSatisfy(r -> assertThat(r.inputs()).hasSizeLessThan(4));
      assertThat(server.received().stream().flatMap(r -> r.inputs().stream()))
          .containsExactlyInAnyOrderElementsOf(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(vectors.get(i))
            .containsExactly(FakeEmbeddingServer.unitVectorOf(texts.get(i), 8), within(1e-6f));
      }
      assertThat(server.mostInFlight()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  @DisplayName("a batch is split so that no request body exceeds the byte cap")
  void splitsByBytes() {
    try (RemoteEmbeddingModel model = open("MAX_REQUEST_BYTES", "2048")) {
      List<String> texts =
          IntStream.range(0, 9).mapToObj(i -> i + " " + "lorem ipsum ".repeat(40)).toList();

      List<float[]> vectors = model.embedPassages(texts);

      assertThat(vectors).hasSize(9);
      assertThat(server.received()).hasSizeGreaterThan(1);
      assertThat(server.received())
          .allSatisfy(r -> assertThat(r.bytes()).isLessThanOrEqualTo(2048));
      assertThat(server.received().stream().mapToInt(r -> r.inputs().size()).sum()).isEqualTo(9);
    }
  }

  @Test
  @DisplayName("a text that cannot fit one request is refused before anything is sent")
  void refusesTextOverByteCap() {
    try (RemoteEmbeddingModel model = open("MAX_REQUEST_BYTES", "1024", "DIMENSIONS", "8")) {
      String big = "x".repeat(1500);

      assertThatThrownBy(() -> model.embedPassages(List.of("small", big)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("text 1 of the batch")
          .hasMessageContaining("AGENT_BRAIN_OPENAI_MAX_REQUEST_BYTES");
      assertThat(server.received()).isEmpty();
    }
  }

  @Test
  @DisplayName("HTTP 503 is retried, and the retry succeeds")
  void retriesServiceUnavailable() {
    server.answerNext(503, "{\"error\":{\"message\":\"overloaded\"}}", Map.of());
    server.answerNext(502, "bad gateway", Map.of());
    try (RemoteEmbeddingModel model = open()) {
      assertThat(model.embedPassages(texts(2))).hasSize(2);
      assertThat(server.received()).hasSize(3);
    }
  }

  @Test
  @DisplayName("HTTP 429 waits as long as Retry-After says, then retries")
  void honoursRetryAfter() {
    server.answerNext(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "1"));
    try (RemoteEmbeddingModel model = open()) {
      long started = System.nanoTime();

      assertThat(model.embedPassages(texts(1))).hasSize(1);

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
      assertThat(server.received()).hasSize(2);
    }
  }

  @Test
  @DisplayName("OpenAI's retry-after-ms is honoured in milliseconds")
  void honoursRetryAfterMillis() {
    server.answerNext(429, "{}", Map.of("retry-after-ms", "120", "Retry-After", "30"));
    try (RemoteEmbeddingModel model = open()) {
      long started = System.nanoTime();

      assertThat(model.embedPassages(texts(1))).hasSize(1);

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(Duration.ofMillis(110), Duration.ofSeconds(5));
    }
  }

  @Test
  @DisplayName("a server asking to wait longer than a minute fails the batch now, saying how long")
  void refusesLongRetryAfter() {
    server.answerNext(429, "{}", Map.of("Retry-After", "3600"));
    try (RemoteEmbeddingModel model = open()) {
      assertThatThrownBy(() -> model.embedPassages(texts(1)))
          .isInstanceOfSatisfying(
              EmbeddingException.class,
              e -> {
                assertThat(e.failureKind()).isEqualTo(Failure.Kind.TRANSIENT);
                assertThat(e.retryAfter()).contains(Duration.ofHours(1));
              })
          .hasMessageContaining("HTTP 429")
          .hasMessageContaining("asks to wait 3600 s");
      assertThat(server.received()).hasSize(1);
    }
  }

  @Test
  @DisplayName("HTTP 401 fails at once, naming the API and the variable to set")
  void refusedKey() {
    server.answerNext(
        401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}", Map.of());
    try (RemoteEmbeddingModel model = open()) {
      assertThatThrownBy(() -> model.embedPassages(texts(1)))
          .isInstanceOf(EmbeddingException.class)
          .hasMessage(
              "the embedding API at "
                  + server.url()
                  + "/v1/embeddings refused the key (HTTP 401) — check AGENT_BRAIN_OPENAI_API_KEY:"
                  + " the key is wrong, revoked, or may not use model 'text-embedding-3-small'");
      assertThat(server.received()).hasSize(1);
    }
  }

  @Test
  @DisplayName("running out of quota is not retried, and is no fault of the batch")
  void quotaExhausted() {
    server.answerNext(
        429,
        "{\"error\":{\"message\":\"You exceeded your current quota\",\"code\":\"insufficient_quota\"}}",
        Map.of("Retry-After", "1"));
    try (RemoteEmbeddingModel model = open()) {
      assertThatThrownBy(() -> model.embedPassages(texts(1)))
          .isInstanceOfSatisfying(
              EmbeddingException.class,
              e -> assertThat(e.failureKind()).isEqualTo(Failure.Kind.BROKEN))
          .hasMessageContaining("no quota left")
          .hasMessageContaining("billing");
      assertThat(server.received()).hasSize(1);
    }
  }

  @Test
  @DisplayName("HTTP 400 fails at once with the server's reason")
  void badRequest() {
    server.answerNext(
        400,
        "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\"}}",
        Map.of());
    try (RemoteEmbeddingModel model = open()) {
      assertThatThrownBy(() -> model.embedPassages(texts(1)))
          .isInstanceOfSatisfying(
              EmbeddingException.class,
              e -> assertThat(e.failureKind()).isEqualTo(Failure.Kind.REJECTED))
          .hasMessageContaining("rejected the request (HTTP 400: This model's maximum context")
          .hasMessageContaining("AGENT_BRAIN_OPENAI_MAX_TOKENS=8191");
      assertThat(server.received()).hasSize(1);
    }
  }

  @Test
  @DisplayName("vectors of the wrong length are rejected and not retried")
  void wrongDimensions() {
    server.dimensions(5);
    try (RemoteEmbeddingModel model = open()) {
      assertThatThrownBy(() -> model.embedPassages(texts(2)))
          .isInstanceOfSatisfying(
              EmbeddingException.class,
              e -> assertThat(e.failureKind()).isEqualTo(Failure.Kind.REJECTED))
          .hasMessageContaining("answered with 5-dimensional vectors")
          .hasMessageContaining("but 8 are expected")
          .hasMessageContaining("AGENT_BRAIN_OPENAI_DIMENSIONS");
      assertThat(server.received()).hasSize(1);
    }
  }

  @Test
  @DisplayName("an answer with fewer vectors than texts is rejected")
  void wrongCount() {
    server.answerNext(200, "{\"data\":[{\"index\":0,\"embedding\":[1,2,3,4,5,6,7,8]}]}", Map.of());
    try (RemoteEmbeddingModel model = open()) {
      assertThatThrownBy(() -> model.embedPassages(texts(2)))
          .isInstanceOf(EmbeddingException.class)
          .hasMessageContaining("answered with 1 vectors for 2 texts")
          .hasMessageContaining("AGENT_BRAIN_OPENAI_BASE_URL");
    }
  }

  @Test
  @DisplayName("a timeout is retried, then fails saying how long it waited and what to change")
  void timesOut() {
    server.hangNext(3);
    // 1 s, not less: the timeout covers connecting and sending too, which took over 200 ms at
    // load 30, so a request could time out before the server had seen it
    try (RemoteEmbeddingModel model = open("TIMEOUT_MS", "1000", "MAX_RETRIES", "2")) {
      assertThatThrownBy(() -> model.embedPassages(texts(1)))
          .isInstanceOfSatisfying(
              EmbeddingException.class,
              e -> assertThat(e.failureKind()).isEqualTo(Failure.Kind.TRANSIENT))
          .hasMessageContaining("did not answer within 1000 ms (3 attempts)")
          .hasMessageContaining("AGENT_BRAIN_OPENAI_TIMEOUT_MS");
      // the client may give up before the server has recorded the last request
      await().atMost(Duration.ofSeconds(5)).until(() -> server.received().size() == 3);
    }
  }

  @Test
  @DisplayName("the API key appears in no message and no toString")
  void keyNeverShown() {
    server.answerNext(
        401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}", Map.of());
    server.answerNext(400, "{\"error\":{\"message\":\"bad input for key " + KEY + "\"}}", Map.of());
    Map<String, String> environment =
        Map.of(
            "AGENT_BRAIN_OPENAI_BASE_URL", "http://127.0.0.1:1", "AGENT_BRAIN_OPENAI_API_KEY", KEY);
    HttpEmbeddingConfig config =
        HttpEmbeddingConfig.fromEnvironment(RemoteProvider.OPENAI, "m", environment);
    try (RemoteEmbeddingModel model = open()) {
      Throwable refused = catchThrowable(() -> model.embedQuery("q"));
      Throwable rejected = catchThrowable(() -> model.embedQuery("q"));

      assertThat(List.of(refused, rejected)).doesNotContainNull();
      for (Throwable failure = refused; failure != null; failure = failure.getCause()) {
        assertThat(failure.getMessage()).doesNotContain(KEY);
      }
      for (Throwable failure = rejected; failure != null; failure = failure.getCause()) {
        assertThat(failure.getMessage()).doesNotContain(KEY);
      }
      assertThat(rejected).hasMessageContaining("bad input for key ****");
      assertThat(model.toString()).doesNotContain(KEY);
      assertThat(config.toString()).doesNotContain(KEY).contains("****");
      assertThat(config.apiKey().orElseThrow().toString()).isEqualTo("****");
    }
  }

  @Test
  @DisplayName(
      "tokens are estimated at three characters each, rounded up, and the limit follows it")
  void estimatesTokens() {
    try (RemoteEmbeddingModel model = open("MAX_TOKENS", "10")) {
      assertThat(model.countTokens("abcdefg")).isEqualTo(3);
      assertThat(model.countTokens("😀😀😀")).isEqualTo(1);

      assertThat(model.embedPassages(List.of("x".repeat(30)))).hasSize(1);
      assertThatThrownBy(() -> model.embedPassages(List.of("short", "x".repeat(31))))
          .isInstanceOfSatisfying(
              TextTooLongException.class,
              e -> {
                assertThat(e.index()).isEqualTo(1);
                assertThat(e.tokens()).isEqualTo(11);
                assertThat(e.maxTokens()).isEqualTo(10);
              });
      assertThatThrownBy(() -> model.embedQuery(" "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("blank");
      assertThat(server.received()).hasSize(1);
    }
  }
}
