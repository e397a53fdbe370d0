package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.EmbeddingContract;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The query's two vectors, with the real default model: with its query instruction for modes that
 * use it, as a passage for the default hybrid, and never one served for the other from the cache.
 */
class QueryEmbedderTest {

  private static final String QUERY = "0-dimensional biomaterials show inductive properties.";

  private static final EmbeddingContract CONTRACT =
      EmbeddingContract.newBuilder()
          .setIndex("embedder")
          .setVersion(1)
          .setProvider("onnx")
          .setModel(EmbeddingModels.DEFAULT_MODEL)
          .setDimensions(384)
          .setMetric(DistanceMetric.COSINE)
          .setNormalized(true)
          .setTextSearchLanguage("english")
          .setChunkMaxTokens(400)
          .setChunkOverlapTokens(50)
          .setCreatedAt(Instant.now())
          .build();

  @Test
  void embedsWithTheInstructionOnlyWhenTheModeAsks() {
    assertThat(new SearchMode.Vector().instructedQuery()).isTrue();
    assertThat(SearchMode.Rrf.DEFAULT.instructedQuery()).isTrue();
    assertThat(new SearchMode.Hybrid(0.5).instructedQuery()).isTrue();
    assertThat(SearchMode.Hybrid.DEFAULT.instructedQuery()).isFalse();

    try (QueryEmbedder embedder = new QueryEmbedder(1, 16);
        EmbeddingModel model = EmbeddingModels.create(EmbeddingModels.DEFAULT_MODEL, 1)) {
      float[] instructed = model.embedQuery(QUERY);
      float[] asPassage = model.embedPassages(List.of(QUERY)).getFirst();
      assertThat(instructed).isNotEqualTo(asPassage);

      assertThat(embedder.embed(CONTRACT, QUERY, true)).isEqualTo(instructed);
      assertThat(embedder.embed(CONTRACT, QUERY, false)).isEqualTo(asPassage);
      // from the cache now, each still its own
      assertThat(embedder.embed(CONTRACT, QUERY, true)).isEqualTo(instructed);
      assertThat(embedder.embed(CONTRACT, QUERY, false)).isEqualTo(asPassage);
      assertThat(embedder.hits()).isEqualTo(2);
      assertThat(embedder.misses()).isEqualTo(2);
    }
  }
}
