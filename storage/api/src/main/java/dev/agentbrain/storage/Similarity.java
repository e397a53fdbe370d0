package dev.agentbrain.storage;

/**
 * The one score scale every backend reports, defined here and nowhere else.
 *
 * <p>Vector scores are cosine similarity clamped to [0, 1]: {@code max(0, 1 - cosineDistance)}. A
 * similarity threshold is inclusive: a hit is kept when {@code score >= threshold}.
 *
 * <p>Keyword scores are the raw {@link Bm25} score divided by the highest score the query could
 * reach ({@link Bm25#bound}): the share of the query's best possible keyword match that the chunk
 * achieves. Unlike dividing by the top hit's score, it depends only on the query, the chunk and the
 * index statistics, not on which other chunks were returned, so a score does not change with the
 * page, the filter or topK, a weak best match stays weak instead of being stretched to 1 (which
 * would let it outweigh a strong vector match in an alpha-weighted fusion), and two backends with
 * the same statistics give the same score. Unlike {@code score / (score + k)} it needs no constant
 * that suits one query length and saturates for longer ones.
 */
public final class Similarity {

  private Similarity() {}

  /**
   * The cosine similarity of two vectors of the same length, from -1 (opposite) to 1 (same
   * direction), summed in double precision; 0 when either is all zeros, which has no direction.
   *
   * @throws IllegalArgumentException when the lengths differ
   */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors of %d and %d dimensions have no cosine".formatted(a.length, b.length));
    }
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      normA += (double) a[i] * a[i];
      normB += (double) b[i] * b[i];
    }
    return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
  }

  /** Turns a cosine distance (0 = same direction, 2 = opposite) into a score in [0, 1]. */
  public static double fromCosineDistance(double distance) {
    return Math.max(0.0, Math.min(1.0, 1.0 - distance));
  }

  /**
   * Turns a raw BM25 score into a score in [0, 1]: {@code score / bound}, where {@code bound} is
   * {@link Bm25#bound} of the query's summed term weights. 0 when the query has no known term.
   */
  public static double fromBm25(double score, double bound) {
    return bound > 0 ? Math.max(0.0, Math.min(1.0, score / bound)) : 0.0;
  }

  /** Whether a score passes a threshold; inclusive on every backend. */
  public static boolean passes(double score, double threshold) {
    return score >= threshold;
  }
}
