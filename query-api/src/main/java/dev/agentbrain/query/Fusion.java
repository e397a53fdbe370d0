package dev.agentbrain.query;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.SearchHit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines the hits of vector and keyword search into one ranking. Both inputs are best first and
 * carry scores on the {@link dev.agentbrain.storage.Similarity} scale.
 */
public final class Fusion {

  private Fusion() {}

  /**
   * One fused hit.
   *
   * @param vectorScore the hit's vector score, {@code null} when vector search did not return it
   * @param bm25Score the hit's keyword score, {@code null} when keyword search did not return it
   * @param vectorRank the hit's 1-based position in the vector ranking, {@code null} when absent
   * @param bm25Rank the hit's 1-based position in the keyword ranking, {@code null} when absent
   */
  public record Fused(
      ChunkRecord chunk,
      double score,
      Double vectorScore,
      Double bm25Score,
      Integer vectorRank,
      Integer bm25Rank) {}

  /**
   * Alpha-weighted sum of the normalised scores: {@code alpha * vector + (1 - alpha) * bm25}, a
   * missing score counting as 0.
   *
   * @param alpha weight of the vector score, 0 to 1
   */
  public static List<Fused> weighted(
      List<SearchHit> vector, List<SearchHit> keyword, double alpha, int topK) {
    return rank(
        vector,
        keyword,
        (v, k) -> alpha * (v == null ? 0 : v.score()) + (1 - alpha) * (k == null ? 0 : k.score()),
        topK);
  }

  /**
   * Reciprocal rank fusion: {@code sum of weight / (k + rank)} over the rankings that hold the hit
   * (rank 1 is the best), so only positions count, not the scales of the scores.
   */
  public static List<Fused> reciprocalRank(
      List<SearchHit> vector,
      List<SearchHit> keyword,
      int k,
      double vectorWeight,
      double keywordWeight,
      int topK) {
    Map<String, Integer> vectorRanks = ranks(vector);
    Map<String, Integer> keywordRanks = ranks(keyword);
    return rank(
        vector,
        keyword,
        (v, kw) ->
            (v == null ? 0 : vectorWeight / (k + vectorRanks.get(v.chunk().chunkId())))
                + (kw == null ? 0 : keywordWeight / (k + keywordRanks.get(kw.chunk().chunkId()))),
        topK);
  }

  private interface Scoring {
    double score(SearchHit vectorHit, SearchHit keywordHit);
  }

  private static List<Fused> rank(
      List<SearchHit> vector, List<SearchHit> keyword, Scoring scoring, int topK) {
    Map<String, SearchHit> byVector = byId(vector);
    Map<String, SearchHit> byKeyword = byId(keyword);
    Map<String, Integer> vectorRanks = ranks(vector);
    Map<String, Integer> keywordRanks = ranks(keyword);
    Map<String, ChunkRecord> chunks = new LinkedHashMap<>();
    vector.forEach(h -> chunks.putIfAbsent(h.chunk().chunkId(), h.chunk()));
    keyword.forEach(h -> chunks.putIfAbsent(h.chunk().chunkId(), h.chunk()));
    return chunks.entrySet().stream()
        .map(
            e -> {
              SearchHit v = byVector.get(e.getKey());
              SearchHit k = byKeyword.get(e.getKey());
              return new Fused(
                  e.getValue(),
                  scoring.score(v, k),
                  v == null ? null : v.score(),
                  k == null ? null : k.score(),
                  vectorRanks.get(e.getKey()),
                  keywordRanks.get(e.getKey()));
            })
        .sorted(
            Comparator.comparingDouble(Fused::score)
                .reversed()
                .thenComparing(f -> f.chunk().chunkId()))
        .limit(topK)
        .toList();
  }

  private static Map<String, SearchHit> byId(List<SearchHit> hits) {
    Map<String, SearchHit> map = new LinkedHashMap<>();
    hits.forEach(h -> map.putIfAbsent(h.chunk().chunkId(), h));
    return map;
  }

  private static Map<String, Integer> ranks(List<SearchHit> hits) {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (SearchHit hit : hits) {
      ranks.putIfAbsent(hit.chunk().chunkId(), ranks.size() + 1);
    }
    return ranks;
  }
}
