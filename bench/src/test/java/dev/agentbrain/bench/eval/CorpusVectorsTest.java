package dev.agentbrain.bench.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusVectorsTest {

  @Test
  @DisplayName(
      "a benchmark reads the chunk vectors make eval cached, and is told to run make eval when the"
          + " cache holds other texts or is missing")
  void benchmarksReuseOnlyTheVectorsOfTheirChunks(@TempDir Path dir) {
    Path cache = dir.resolve("eval/scifact.vectors");
    List<String> chunks = List.of("# Aspirin\n\nAspirin thins the blood.", "Statins lower LDL.");
    try (EmbeddingModel model = EmbeddingModels.create(EmbeddingModels.DEFAULT_MODEL, 1)) {
      assertThatThrownBy(() -> CorpusVectors.cached(chunks, model, cache))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("run `make eval` first");

      List<float[]> embedded = CorpusVectors.of(chunks, model, cache);

      assertThat(CorpusVectors.cached(chunks, model, cache))
          .hasSize(2)
          .containsExactly(embedded.get(0), embedded.get(1));
      assertThatThrownBy(() -> CorpusVectors.cached(chunks.subList(0, 1), model, cache))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("1 chunks");
    }
  }
}
