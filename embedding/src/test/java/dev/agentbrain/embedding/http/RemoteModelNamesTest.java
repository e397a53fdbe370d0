package dev.agentbrain.embedding.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.embedding.ModelInfo;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RemoteModelNamesTest {

  @RegisterExtension final FakeEmbeddingServer server = new FakeEmbeddingServer();

  @Test
  @DisplayName("openai:<model> opens the OpenAI-compatible provider its variables configure")
  void openAiName() {
    Map<String, String> environment =
        Map.of(
            "AGENT_BRAIN_OPENAI_BASE_URL",
            server.url().toString(),
            "AGENT_BRAIN_OPENAI_API_KEY",
            "sk-1");
    try (EmbeddingModel model =
        EmbeddingModels.create(" OpenAI:text-embedding-3-small ", 1, environment)) {
      assertThat(model).isInstanceOf(OpenAiCompatibleEmbeddingModel.class);
      assertThat(model.info())
          .isEqualTo(new ModelInfo("openai", "openai:text-embedding-3-small", 8, 8191, true));
      assertThat(server.received().get(0).body().path("model").asText())
          .isEqualTo("text-embedding-3-small");
    }
  }

  @Test
  @DisplayName("the name a remote model reports opens that model again")
  void reportedNameRoundTrips() {
    Map<String, String> environment =
        Map.of(
            "AGENT_BRAIN_OLLAMA_URL",
            server.url().toString(),
            "AGENT_BRAIN_OLLAMA_DIMENSIONS",
            "8");
    try (EmbeddingModel first =
            EmbeddingModels.create("ollama:qwen3-embedding:0.6b", 1, environment);
        EmbeddingModel again = EmbeddingModels.create(first.info().model(), 1, environment)) {
      assertThat(again).isInstanceOf(OllamaEmbeddingModel.class);
      assertThat(again.info()).isEqualTo(first.info());
      assertThat(again.info().model()).isEqualTo("ollama:qwen3-embedding:0.6b");
    }
  }

  @Test
  @DisplayName("describing a model gives what a contract records, loading no bundled model")
  void describes() {
    Map<String, String> environment = Map.of("AGENT_BRAIN_OLLAMA_URL", server.url().toString());

    assertThat(EmbeddingModels.describe("ollama:nomic-embed-text", environment))
        .isEqualTo(new ModelInfo("ollama", "ollama:nomic-embed-text", 8, 2048, true));
    assertThat(EmbeddingModels.describe("bge-small-en-v1.5-q", Map.of()))
        .isEqualTo(new ModelInfo("onnx", "bge-small-en-v1.5-q", 384, 510, true));
  }

  @Test
  @DisplayName("a provider prefix without a model is refused")
  void blankModel() {
    assertThatThrownBy(() -> EmbeddingModels.create("ollama:", 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model name is blank");
  }

  @Test
  @DisplayName("an unknown name says how remote models are named")
  void unknownName() {
    assertThatThrownBy(() -> EmbeddingModels.create("cohere:embed-v4", 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown embedding model 'cohere:embed-v4'")
        .hasMessageContaining("openai:<model> or ollama:<model>");
  }
}
