package dev.agentbrain.storage.keyword;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.Similarity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The BM25 scores of one query over one state of an index, as PostgreSQL computes them: a chunk's
 * score is the sum, over the query terms it holds, of {@code queryCount * idf * termWeight}, with
 * the IDF and the average length taken over every live chunk. Knows nothing of Lucene: the index
 * gives it the statistics and each chunk's term frequencies and length.
 */
final class Bm25Scorer {

  private final Bm25 bm25;
  private final double averageLength;
  private final Map<String, Double> weights;
  private final double bound;

  private Bm25Scorer(Bm25 bm25, double averageLength, Map<String, Double> weights) {
    this.bm25 = bm25;
    this.averageLength = averageLength;
    this.weights = weights;
    this.bound = bm25.bound(weights.values().stream().mapToDouble(Double::doubleValue).sum());
  }

  /**
   * The scorer of a query.
   *
   * @param queryCounts the query's analysed terms with how often each occurs in it, in query order
   * @param documentFrequencies how many live chunks hold each term; a term absent or at 0 weighs
   *     nothing
   * @param chunks the index's live chunks
   * @param totalLength their lengths in terms, summed
   */
  static Bm25Scorer of(
      Bm25 bm25,
      Map<String, Integer> queryCounts,
      Map<String, Long> documentFrequencies,
      long chunks,
      long totalLength) {
    Map<String, Double> weights = new LinkedHashMap<>();
    queryCounts.forEach(
        (term, count) -> {
          long df = documentFrequencies.getOrDefault(term, 0L);
          if (df > 0) {
            weights.put(term, count * Bm25.idf(chunks, df));
          }
        });
    return new Bm25Scorer(bm25, averageLength(chunks, totalLength), weights);
  }

  /**
   * The average chunk length as PostgreSQL computes it: at least 1, so an index of empty chunks (or
   * none) divides by 1.
   */
  static double averageLength(long chunks, long totalLength) {
    return chunks == 0 ? 1 : Math.max((double) totalLength / chunks, 1);
  }

  /** The query terms some chunk holds, in query order: the only ones that can add to a score. */
  Set<String> terms() {
    return weights.keySet();
  }

  /** Whether no chunk can match: no query term is held by any chunk. */
  boolean matchesNothing() {
    return weights.isEmpty();
  }

  /**
   * What one of {@link #terms} adds to the score of a chunk that holds it {@code termFrequency}
   * times and is {@code length} terms long.
   */
  double score(String term, int termFrequency, long length) {
    return weights.get(term) * bm25.termWeight(termFrequency, length, averageLength);
  }

  /** The score no chunk reaches for this query ({@link Bm25#bound}). */
  double bound() {
    return bound;
  }

  /** A summed score on the shared 0..1 scale of every backend. */
  double similarity(double score) {
    return Similarity.fromBm25(score, bound);
  }

  /**
   * How many of the candidates, best first, may end in the best {@code topK} once equal scores are
   * ordered by chunk id: the first {@code topK}, and every later one that ties with the last of
   * those.
   */
  static <T> int contenders(List<T> bestFirst, ToDoubleFunction<T> score, int topK) {
    int end = Math.min(topK, bestFirst.size());
    while (end > 0
        && end < bestFirst.size()
        && score.applyAsDouble(bestFirst.get(end)) == score.applyAsDouble(bestFirst.get(end - 1))) {
      end++;
    }
    return end;
  }
}
