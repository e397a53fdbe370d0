package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.SearchHit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FusionTest {

  private final List<SearchHit> vector = List.of(hit("a", 0.9), hit("b", 0.8), hit("c", 0.7));
  private final List<SearchHit> keyword = List.of(hit("c", 1.0), hit("d", 0.6), hit("a", 0.2));

  @Test
  @DisplayName("hybrid adds alpha-weighted scores, a missing score counting as zero")
  void weightedSum() {
    List<Fusion.Fused> fused = Fusion.weighted(vector, keyword, 0.5, 10);

    assertThat(fused).extracting(f -> f.chunk().chunkId()).containsExactly("c", "a", "b", "d");
    assertThat(fused.get(0).score()).isCloseTo(0.85, within(1e-9));
    assertThat(fused.get(2).bm25Score()).isNull();
    assertThat(fused.get(3).vectorScore()).isNull();
  }

  @Test
  @DisplayName("alpha 1 is pure vector order and alpha 0 pure keyword order")
  void alphaExtremes() {
    assertThat(Fusion.weighted(vector, keyword, 1, 3))
        .extracting(f -> f.chunk().chunkId())
        .containsExactly("a", "b", "c");
    assertThat(Fusion.weighted(vector, keyword, 0, 3))
        .extracting(f -> f.chunk().chunkId())
        .containsExactly("c", "d", "a");
  }

  @Test
  @DisplayName("reciprocal rank fusion counts positions, not scores")
  void reciprocalRank() {
    List<Fusion.Fused> fused = Fusion.reciprocalRank(vector, keyword, 60, 1, 1, 2);

    // a: 1/61 + 1/63, c: 1/63 + 1/61 — a tie broken by id; b: 1/62; d: 1/62
    assertThat(fused).extracting(f -> f.chunk().chunkId()).containsExactly("a", "c");
    assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 63, within(1e-12));
  }

  @Test
  @DisplayName("a retriever's weight in reciprocal rank fusion moves its favourites up")
  void reciprocalRankWeights() {
    assertThat(Fusion.reciprocalRank(vector, keyword, 60, 0, 1, 1))
        .extracting(f -> f.chunk().chunkId())
        .containsExactly("c");
    assertThat(Fusion.reciprocalRank(vector, keyword, 60, 1, 0, 1))
        .extracting(f -> f.chunk().chunkId())
        .containsExactly("a");
  }

  private static SearchHit hit(String id, double score) {
    return new SearchHit(
        new ChunkRecord(
            id, "doc-" + id, 1, 0, "text " + id, "", "", "", "", "", Map.of(), new float[] {1}),
        score);
  }
}
