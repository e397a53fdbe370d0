package dev.agentbrain.embedding.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.embedding.EmbeddingException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OllamaEmbeddingModelTest {

  private static final String MODEL = "nomic-embed-text:v1.5";

  @RegisterExtension final FakeEmbeddingServer server = new FakeEmbeddingServer();

  @Test
  @DisplayName("embeddings come back in input order from /api/embed, and truncation is off")
  void embeds() {
    try (RemoteEmbeddingModel model =
        server.open(RemoteProvider.OLLAMA, MODEL, "DIMENSIONS", "8")) {
      List<float[]> vectors = model.embedPassages(List.of("first", "second"));

      assertThat(model).isInstanceOf(OllamaEmbeddingModel.class);
      assertThat(vectors.get(1))
          .containsExactly(FakeEmbeddingServer.unitVectorOf("second", 8), within(1e-6f));
      FakeEmbeddingServer.Received request = server.received().get(0);
      assertThat(request.path()).isEqualTo("/api/embed");
      assertThat(request.authorization()).isNull();
      assertThat(request.body().path("model").asText()).isEqualTo("nomic-embed-text:v1.5");
      assertThat(request.body().path("truncate").asBoolean(true)).isFalse();
      assertThat(request.inputs()).containsExactly("first", "second");
    }
  }

  @Test
  @DisplayName("the model describes itself as ollama:<model> with the probed dimensions")
  void describesItself() {
    server.dimensions(16);
    try (RemoteEmbeddingModel model = server.open(RemoteProvider.OLLAMA, MODEL)) {
      assertThat(model.info().provider()).isEqualTo("ollama");
      assertThat(model.info().model()).isEqualTo("ollama:nomic-embed-text:v1.5");
      assertThat(model.info().dimensions()).isEqualTo(16);
      assertThat(model.info().maxTokens()).isEqualTo(2048);
    }
  }

  @Test
  @DisplayName("a model Ollama has not pulled fails at once, saying how to pull it")
  void unknownModel() {
    server.answerNext(
        404,
        "{\"error\":\"model \\\"nomic-embed-text:v1.5\\\" not found, try pulling it first\"}",
        Map.of());
    assertThatThrownBy(() -> server.open(RemoteProvider.OLLAMA, MODEL))
        .isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("(HTTP 404: model \"nomic-embed-text:v1.5\" not found")
        .hasMessageContaining("ollama pull nomic-embed-text:v1.5");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  @DisplayName("an Ollama that is not running is retried, then named with how to start it")
  void notRunning() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (RemoteEmbeddingModel model =
        server.open(
            RemoteProvider.OLLAMA,
            MODEL,
            "URL",
            "http://127.0.0.1:" + closedPort,
            "DIMENSIONS",
            "8",
            "MAX_RETRIES",
            "1")) {
      assertThatThrownBy(() -> model.embedQuery("q"))
          .isInstanceOf(EmbeddingException.class)
          .hasMessage(
              ("the embedding API at http://127.0.0.1:%d/api/embed cannot be reached (connection"
                      + " refused) (2 attempts) — start Ollama (`ollama serve`) or set"
                      + " AGENT_BRAIN_OLLAMA_URL")
                  .formatted(closedPort));
    }
  }

  @Test
  @DisplayName("an answer that is not Ollama's shape is rejected")
  void unexpectedAnswer() {
    server.answerNext(200, "{\"embedding\":[1,2,3]}", Map.of());
    try (RemoteEmbeddingModel model =
        server.open(RemoteProvider.OLLAMA, MODEL, "DIMENSIONS", "3")) {
      assertThatThrownBy(() -> model.embedQuery("q"))
          .isInstanceOf(EmbeddingException.class)
          .hasMessageContaining("answered without an \"embeddings\" array")
          .hasMessageContaining("check that AGENT_BRAIN_OLLAMA_URL points at an Ollama server");
    }
  }
}
