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

  /**
   * Candidates each retriever ranks for a fused mode, at least; also the depth whose scores give
   * the statistics of every {@link ScoreNormalisation} (so they are the same for every top_k).
   * Chosen with the hybrid defaults by {@code make eval} on SciFact's train split.
   */
  public static final int MIN_FUSION_DEPTH = 100;

  private Fusion() {}

  /**
   * How deep each retriever ranks for a search that must return {@code wanted} results: a fused
   * mode asks for four times as many (at least {@link #MIN_FUSION_DEPTH}), so that a chunk ranked
   * high by one retriever and lower by the other can still come first; at most {@link
   * SearchRequest#MAX_DEPTH}.
   */
  public static int candidates(SearchMode mode, int wanted) {
    return candidates(mode, wanted, MIN_FUSION_DEPTH);
  }

  /**
   * {@link #candidates(SearchMode, int)} with another least depth ({@code make eval} tries some).
   */
  public static int candidates(SearchMode mode, int wanted, int depth) {
    return mode.usesVectors() && mode.usesKeywords()
        ? Math.min(SearchRequest.MAX_DEPTH, Math.max(depth, 4 * wanted))
        : Math.min(SearchRequest.MAX_DEPTH, wanted);
  }

  /**
   * The ranking of a search mode from the two retrievers' rankings (the one a mode does not use is
   * ignored): the one place where every mode's ranking is made, for the API and {@code make eval}
   * alike. Vector and bm25 keep the stored scores.
   */
  public static List<Fused> fuse(
      SearchMode mode, List<SearchHit> vector, List<SearchHit> keyword, int topK) {
    return fuse(mode, vector, keyword, topK, MIN_FUSION_DEPTH);
  }

  /**
   * {@link #fuse(SearchMode, List, List, int)} with the normalisation statistics of another depth
   * ({@code make eval} tries some).
   */
  public static List<Fused> fuse(
      SearchMode mode, List<SearchHit> vector, List<SearchHit> keyword, int topK, int depth) {
    return switch (mode) {
      case SearchMode.Vector v ->
          weighted(vector, List.of(), 1, ScoreNormalisation.STORED, topK, depth);
      case SearchMode.Bm25 b ->
          weighted(List.of(), keyword, 0, ScoreNormalisation.STORED, topK, depth);
      case SearchMode.Hybrid h ->
          weighted(vector, keyword, h.alpha(), h.normalisation(), topK, depth);
      case SearchMode.Rrf r ->
          reciprocalRank(vector, keyword, r.k(), r.vectorWeight(), r.bm25Weight(), topK);
    };
  }

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
   * Alpha-weighted sum of the normalised scores: {@code alpha * vector + (1 - alpha) * bm25}, each
   * ranking normalised on its own, a missing score counting as {@link ScoreNormalisation#missing}.
   *
   * @param alpha weight of the vector score, 0 to 1
   * @param depth how many of each ranking's first scores give the normalisation's statistics
   */
  public static List<Fused> weighted(
      List<SearchHit> vector,
      List<SearchHit> keyword,
      double alpha,
      ScoreNormalisation normalisation,
      int topK,
      int depth) {
    Normalised v = Normalised.of(vector, normalisation, depth);
    Normalised k = Normalised.of(keyword, normalisation, depth);
    return rank(
        vector,
        keyword,
        (vectorHit, keywordHit) -> alpha * v.score(vectorHit) + (1 - alpha) * k.score(keywordHit),
        topK);
  }

  /** One ranking's normalised scores by chunk id, and what an absent chunk counts as. */
  private record Normalised(Map<String, Double> scores, double missing) {
    static Normalised of(List<SearchHit> hits, ScoreNormalisation normalisation, int depth) {
      double[] normalised =
          normalisation.apply(hits.stream().mapToDouble(SearchHit::score).toArray(), depth);
      Map<String, Double> scores = new LinkedHashMap<>();
      for (int i = 0; i < normalised.length; i++) {
        scores.putIfAbsent(hits.get(i).chunk().chunkId(), normalised[i]);
      }
      return new Normalised(scores, normalisation.missing(normalised, depth));
    }

    double score(SearchHit hit) {
      return hit == null ? missing : scores.get(hit.chunk().chunkId());
    }
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
