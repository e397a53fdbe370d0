package dev.agentbrain.query;

import java.util.Arrays;

/**
 * How hybrid search puts one retriever's scores for one query on a scale it can add to the other's.
 * Each rule maps the scores of one ranking (the candidates that retriever returned for the query,
 * best first) to new scores in the same order; a higher score stays higher. {@link #STORED} keeps
 * the backends' own scale ({@link dev.agentbrain.storage.Similarity}); the others look at the
 * distribution of the ranking's first {@link Fusion#MIN_FUSION_DEPTH} scores (min and max, mean and
 * standard deviation, or sum of squares) and apply it to every score of the ranking, those below
 * that depth too. A fused search ranks at least that deep whatever its {@code top_k} and {@code
 * offset} ({@link Fusion#candidates}), so a hit's normalised score does not depend on how long the
 * ranking is: top_k 10 and top_k 100 order their common results alike, and a later page does not
 * reorder against an earlier one. A ranking shorter than that depth uses all its scores.
 *
 * <p>A chunk that one retriever did not return counts as {@link #missing} of that ranking.
 */
public enum ScoreNormalisation {

  /** The scores as stored: cosine similarity, and BM25 divided by the query's bound. */
  STORED,

  /**
   * {@code (s - min) / (max - min)} over the first scores: the best is 1, the one at the depth 0
   * (all 1 if equal); scores below the depth can go under 0.
   */
  MIN_MAX,

  /** {@code (s - mean) / sd} over the first scores (0 when they are all the same). */
  Z_SCORE,

  /**
   * Distribution-based, as Qdrant's DBSF: {@code (s - (mean - 3 sd)) / 6 sd} with the mean and sd
   * of the first scores, clipped to [0, 1], so that a score three standard deviations above that
   * mean is 1.
   */
  DISTRIBUTION,

  /**
   * {@code s / sqrt(sum of s^2)} over the first scores, as OpenSearch's {@code l2} normalisation.
   */
  L2;

  /**
   * The normalised scores of one ranking, in its order.
   *
   * @param scores one retriever's scores for one query, best first; not changed
   * @param depth how many of the first scores give the statistics ({@link Fusion#MIN_FUSION_DEPTH}
   *     in the API)
   */
  public double[] apply(double[] scores, int depth) {
    if (this == STORED || scores.length == 0) {
      return scores.clone();
    }
    double[] head = head(scores, depth);
    double[] out = new double[scores.length];
    switch (this) {
      case MIN_MAX -> {
        double min = Arrays.stream(head).min().orElseThrow();
        double range = Arrays.stream(head).max().orElseThrow() - min;
        for (int i = 0; i < scores.length; i++) {
          out[i] = range > 0 ? (scores[i] - min) / range : 1;
        }
      }
      case Z_SCORE, DISTRIBUTION -> {
        double mean = Arrays.stream(head).average().orElseThrow();
        double variance = Arrays.stream(head).map(s -> (s - mean) * (s - mean)).sum();
        double sd = Math.sqrt(variance / head.length);
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
        double norm = Math.sqrt(Arrays.stream(head).map(s -> s * s).sum());
        for (int i = 0; i < scores.length; i++) {
          out[i] = norm > 0 ? scores[i] / norm : 0;
        }
      }
      case STORED -> throw new AssertionError("handled above");
    }
    return out;
  }

  /**
   * What a chunk absent from a ranking counts as: 0, or the lowest normalised score of the first
   * {@link Fusion#MIN_FUSION_DEPTH} when that is below 0 (z-scores), so that being absent is never
   * better than being ranked at that depth, and does not depend on how long the ranking is (a hit
   * ranked below that depth can count less than an absent one; nothing is clipped for it).
   *
   * @param normalised a ranking's normalised scores, best first
   * @param depth as given to {@link #apply}
   */
  public double missing(double[] normalised, int depth) {
    return Math.min(0, Arrays.stream(head(normalised, depth)).min().orElse(0));
  }

  /** The scores the statistics come from: the first {@code depth}. */
  private static double[] head(double[] scores, int depth) {
    return Arrays.copyOf(scores, Math.min(scores.length, depth));
  }
}
