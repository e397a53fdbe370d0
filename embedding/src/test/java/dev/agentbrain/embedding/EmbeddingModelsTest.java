package dev.agentbrain.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EmbeddingModelsTest {

  @Test
  @DisplayName("an unknown model name is refused with the list of known names")
  void unknownModel() {
    assertThatThrownBy(() -> EmbeddingModels.create("text-embedding-3-small", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text-embedding-3-small")
        .hasMessageContaining("bge-small-en-v1.5-q, all-minilm-l6-v2-q");
  }

  @Test
  @DisplayName("a known model loads under its contract name, whatever the case")
  void knownModel() {
    try (EmbeddingModel model = EmbeddingModels.create("All-MiniLM-L6-v2-q", 1)) {
      assertThat(model.info())
          .isEqualTo(new ModelInfo("onnx", "all-minilm-l6-v2-q", 384, 126, true));
    }
  }

  @Test
  @DisplayName("the default model is bge-small-en-v1.5-q, listed first")
  void defaultModel() {
    assertThat(EmbeddingModels.DEFAULT_MODEL).isEqualTo("bge-small-en-v1.5-q");
    assertThat(EmbeddingModels.knownModels()).first().isEqualTo(EmbeddingModels.DEFAULT_MODEL);
  }
}
