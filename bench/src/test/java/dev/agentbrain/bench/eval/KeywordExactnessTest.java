package dev.agentbrain.bench.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.testing.BeirDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeywordExactnessTest {

  /** Two queries; q1 judges document d1, q2 judges d3. */
  private static final BeirDataset SPLIT =
      new BeirDataset(
          List.of(),
          Map.of("q1", "first query", "q2", "second query"),
          Map.of("q1", Map.of("d1", 1), "q2", Map.of("d3", 1)));

  @Test
  @DisplayName("the same ranking twice: overlap 1, every query identical, equal nDCG")
  void sameRankingIsExact() {
    List<SearchHit> ranking = hits("d1#0", "d2#0", "d1#1", "d3#0");

    KeywordExactness.Result result =
        KeywordExactness.compare("test", "itself", q -> ranking, q -> ranking, SPLIT);

    assertThat(result.queries()).isEqualTo(2);
    assertThat(result.meanOverlap()).isEqualTo(1.0);
    assertThat(result.identical()).isEqualTo(2);
    assertThat(result.ndcg()).isEqualTo(result.exhaustiveNdcg());
    // q1: d1 first (1.0); q2: d3 third document, d1's second chunk does not count
    assertThat(result.ndcg()).isCloseTo((1 + 1 / (Math.log(4) / Math.log(2))) / 2, within(1e-12));
  }

  @Test
  @DisplayName("one of ten chunks different: overlap 0.9, nDCG of each ranking on its own")
  void oneDifferentChunk() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add("d" + (i + 4) + "#0");
    }
    List<SearchHit> exhaustive = hits(ids.toArray(String[]::new));
    ids.set(9, "d1#0");
    List<SearchHit> served = hits(ids.toArray(String[]::new));

    KeywordExactness.Result result =
        KeywordExactness.compare("test", "exhaustive", q -> served, q -> exhaustive, SPLIT);

    assertThat(result.meanOverlap()).isCloseTo(0.9, within(1e-12));
    assertThat(result.identical()).isZero();
    assertThat(result.exhaustiveNdcg()).isZero();
    assertThat(result.ndcg()).isCloseTo(1 / (Math.log(11) / Math.log(2)) / 2, within(1e-12));
    assertThat(result.line()).contains("top-10 overlap 0.9000 (identical 0)");
  }

  private static List<SearchHit> hits(String... chunkIds) {
    List<SearchHit> hits = new ArrayList<>();
    for (int i = 0; i < chunkIds.length; i++) {
      String id = chunkIds[i];
      String document = ChunkedCorpus.documentOf(id);
      hits.add(
          new SearchHit(
              ChunkRecord.builder()
                  .chunkId(id)
                  .documentId(document)
                  .documentVersion(1)
                  .text("")
                  .embedding(new float[0])
                  .build(),
              1.0 - i / 100.0));
    }
    return hits;
  }
}
