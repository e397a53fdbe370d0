package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.SearchHit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FusionTest {

  /** The depth of the normalisation statistics these tests use (the API's is chosen on data). */
  private static final int DEPTH = 50;

  private final List<SearchHit> vector = List.of(hit("a", 0.9), hit("b", 0.8), hit("c", 0.7));
  private final List<SearchHit> keyword = List.of(hit("c", 1.0), hit("d", 0.6), hit("a", 0.2));

  @Test
  @DisplayName("hybrid adds alpha-weighted scores, a missing score counting as zero")
  void weightedSum() {
    List<Fusion.Fused> fused =
        Fusion.weighted(vector, keyword, 0.5, ScoreNormalisation.STORED, 10, DEPTH);

    assertThat(fused).extracting(f -> f.chunk().chunkId()).containsExactly("c", "a", "b", "d");
    assertThat(fused.get(0).score()).isCloseTo(0.85, within(1e-9));
    assertThat(fused.get(2).bm25Score()).isNull();
    assertThat(fused.get(3).vectorScore()).isNull();
  }

  @Test
  @DisplayName("alpha 1 is pure vector order and alpha 0 pure keyword order")
  void alphaExtremes() {
    assertThat(Fusion.weighted(vector, keyword, 1, ScoreNormalisation.STORED, 3, DEPTH))
        .extracting(f -> f.chunk().chunkId())
        .containsExactly("a", "b", "c");
    assertThat(Fusion.weighted(vector, keyword, 0, ScoreNormalisation.STORED, 3, DEPTH))
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

  @Test
  @DisplayName("min-max puts each ranking's best at 1 and its worst at 0")
  void minMax() {
    assertThat(ScoreNormalisation.MIN_MAX.apply(new double[] {0.9, 0.8, 0.5}, DEPTH))
        .containsExactly(new double[] {1, 0.75, 0}, within(1e-12));
    assertThat(ScoreNormalisation.MIN_MAX.apply(new double[] {0.4, 0.4}, DEPTH))
        .containsExactly(1, 1);
  }

  @Test
  @DisplayName("z-score centres a ranking on its mean in units of its standard deviation")
  void zScore() {
    double[] z = ScoreNormalisation.Z_SCORE.apply(new double[] {3, 1}, DEPTH);
    assertThat(z).containsExactly(new double[] {1, -1}, within(1e-12));
    assertThat(ScoreNormalisation.Z_SCORE.missing(z, DEPTH)).isEqualTo(-1);
  }

  @Test
  @DisplayName("distribution-based maps mean +- 3 standard deviations to 0..1, as Qdrant's DBSF")
  void distribution() {
    // mean 2, sd 1: 3 -> (3 - (2 - 3)) / 6 = 4/6
    assertThat(ScoreNormalisation.DISTRIBUTION.apply(new double[] {3, 1}, DEPTH))
        .containsExactly(new double[] {4.0 / 6, 2.0 / 6}, within(1e-12));
  }

  @Test
  @DisplayName("L2 divides each score by the ranking's Euclidean norm, as OpenSearch's l2")
  void l2() {
    assertThat(ScoreNormalisation.L2.apply(new double[] {3, 4}, DEPTH))
        .containsExactly(new double[] {0.6, 0.8}, within(1e-12));
    assertThat(ScoreNormalisation.L2.missing(new double[] {0.6, 0.8}, DEPTH)).isZero();
  }

  @Test
  @DisplayName("hybrid normalises each ranking on its own before weighting")
  void weightedAfterNormalising() {
    // min-max: vector a 1, b 0.5, c 0; keyword c 1, d 0.5, a 0
    List<Fusion.Fused> fused =
        Fusion.weighted(vector, keyword, 0.6, ScoreNormalisation.MIN_MAX, 10, DEPTH);

    assertThat(fused).extracting(f -> f.chunk().chunkId()).containsExactly("a", "c", "b", "d");
    assertThat(fused.get(0).score()).isCloseTo(0.6, within(1e-9));
    assertThat(fused.get(0).vectorScore()).as("the stored score is shown").isEqualTo(0.9);
  }

  @Test
  @DisplayName("vector and bm25 modes keep the stored scores, whatever hybrid normalises with")
  void singleModesKeepStoredScores() {
    assertThat(Fusion.fuse(new SearchMode.Vector(), vector, keyword, 10))
        .extracting(Fusion.Fused::score)
        .containsExactly(0.9, 0.8, 0.7);
    assertThat(Fusion.fuse(new SearchMode.Bm25(), vector, keyword, 10))
        .extracting(Fusion.Fused::score)
        .containsExactly(1.0, 0.6, 0.2);
  }

  @ParameterizedTest
  @EnumSource(ScoreNormalisation.class)
  @DisplayName("the first 50 normalised scores are the same whether the ranking holds 50 or 400")
  void normalisationIgnoresDepthBelowFifty(ScoreNormalisation normalisation) {
    double[] deep = new double[400];
    for (int i = 0; i < deep.length; i++) {
      deep[i] = i < 50 ? 0.9 - 0.004 * i : 0.7 - 0.0005 * (i - 50);
    }
    double[] shallow = Arrays.copyOf(deep, DEPTH);

    double[] fromShallow = normalisation.apply(shallow, DEPTH);
    double[] fromDeep = normalisation.apply(deep, DEPTH);

    assertThat(Arrays.copyOf(fromDeep, 50)).containsExactly(fromShallow);
    assertThat(normalisation.missing(fromDeep, DEPTH))
        .isEqualTo(normalisation.missing(fromShallow, DEPTH));
    assertThat(fromDeep[399]).as("hits below the depth keep their order").isLessThan(fromDeep[49]);
  }

  @ParameterizedTest
  @EnumSource(ScoreNormalisation.class)
  @DisplayName("hybrid's top results keep their order when both rankings go deeper with worse hits")
  void hybridIgnoresDeeperCandidates(ScoreNormalisation normalisation) {
    // 40 chunks both retrievers find, in different orders, and 10 only one of them finds
    List<String> shared = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      shared.add("c" + i);
    }
    List<String> vectorIds = new ArrayList<>(shared);
    List<String> keywordIds = new ArrayList<>(shared);
    Collections.shuffle(keywordIds, new Random(7));
    for (int i = 0; i < 10; i++) {
      vectorIds.add(4 * i + 1, "v" + i);
      keywordIds.add(4 * i + 2, "k" + i);
    }
    List<SearchHit> vectorHits = new ArrayList<>();
    List<SearchHit> keywordHits = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      vectorHits.add(hit(vectorIds.get(i), 0.9 - 0.004 * i)); // cosine: flat
      keywordHits.add(hit(keywordIds.get(i), Math.exp(-i / 10.0))); // bm25: steep
    }
    List<SearchHit> deeperVector = new ArrayList<>(vectorHits);
    List<SearchHit> deeperKeyword = new ArrayList<>(keywordHits);
    for (int i = 50; i < 400; i++) {
      deeperVector.add(hit("dv" + i, 0.7 - 0.0005 * (i - 50)));
      deeperKeyword.add(hit("dk" + i, 0.007 * Math.exp(-(i - 50) / 100.0)));
    }

    for (double alpha : new double[] {0.3, 0.5, 0.7, 0.95}) {
      assertThat(ids(Fusion.weighted(deeperVector, deeperKeyword, alpha, normalisation, 20, DEPTH)))
          .as("alpha %s", alpha)
          .containsExactlyElementsOf(
              ids(Fusion.weighted(vectorHits, keywordHits, alpha, normalisation, 20, DEPTH)));
    }
  }

  private static List<String> ids(List<Fusion.Fused> fused) {
    return fused.stream().map(f -> f.chunk().chunkId()).toList();
  }

  private static SearchHit hit(String id, double score) {
    return new SearchHit(
        ChunkRecord.builder()
            .chunkId(id)
            .documentId("doc-" + id)
            .documentVersion(1)
            .position(0)
            .text("text " + id)
            .embedding(new float[] {1})
            .build(),
        score);
  }
}
