package dev.agentbrain.query;

import java.util.Arrays;

/**
 * How hybrid search puts one retriever's scores for one query on a scale it can add to the other's.
 * Each rule maps the scores of one ranking (the candidates that retriever returned for the query,
 * best first) to new scores in the same order; a higher score stays higher. {@link #STORED} keeps
 * the backends' own scale ({@link dev.agentbrain.storage.Similarity}); the others look at the
 * ranking's own distribution, so they depend on how many candidates were ranked.
 *
 * <p>A chunk that one retriever did not return counts as {@link #missing} of that ranking.
 */
public enum ScoreNormalisation {

  /** The scores as stored: cosine similarity, and BM25 divided by the query's bound. */
  STORED,

  /**
   * {@code (s - min) / (max - min)} over the ranking: the best is 1, the worst 0 (all 1 if equal).
   */
  MIN_MAX,

  /** {@code (s - mean) / sd} over the ranking (0 when every score is the same). */
  Z_SCORE,

  /**
   * Distribution-based, as Qdrant's DBSF: {@code (s - (mean - 3 sd)) / 6 sd}, clipped to [0, 1], so
   * that a score three standard deviations above the ranking's mean is 1.
   */
  DISTRIBUTION,

  /** {@code s / sqrt(sum of s^2)} over the ranking, as OpenSearch's {@code l2} normalisation. */
  L2;

  /**
   * The normalised scores of one ranking, in its order.
   *
   * @param scores one retriever's scores for one query, any order; not changed
   */
  public double[] apply(double[] scores) {
    if (this == STORED || scores.length == 0) {
      return scores.clone();
    }
    double[] out = new double[scores.length];
    switch (this) {
      case MIN_MAX -> {
        double min = Arrays.stream(scores).min().orElseThrow();
        double range = Arrays.stream(scores).max().orElseThrow() - min;
        for (int i = 0; i < scores.length; i++) {
          out[i] = range > 0 ? (scores[i] - min) / range : 1;
        }
      }
      case Z_SCORE, DISTRIBUTION -> {
        double mean = Arrays.stream(scores).average().orElseThrow();
        double variance = Arrays.stream(scores).map(s -> (s - mean) * (s - mean)).sum();
        double sd = Math.sqrt(variance / scores.length);
        for (int i = 0; i < scores.length; i++) {
          if (sd == 0) {
            out[i] = this == Z_SCORE ? 0 : 0.5;
          } else if (this == Z_SCORE) {
            out[i] = (scores[i] - mean) / sd;
          } else {
            out[i] = Math.max(0, Math.min(1, (scores[i] - mean + 3 * sd) / (6 * sd)));
          }
        }
      }
      case L2 -> {
        double norm = Math.sqrt(Arrays.stream(scores).map(s -> s * s).sum());
        for (int i = 0; i < scores.length; i++) {
          out[i] = norm > 0 ? scores[i] / norm : 0;
        }
      }
      case STORED -> throw new AssertionError("handled above");
    }
    return out;
  }

  /**
   * What a chunk absent from a ranking counts as: 0, or the lowest normalised score when that is
   * below 0 (z-scores), so that being absent is never better than being ranked last.
   */
  public double missing(double[] normalised) {
    return Math.min(0, Arrays.stream(normalised).min().orElse(0));
  }
}
