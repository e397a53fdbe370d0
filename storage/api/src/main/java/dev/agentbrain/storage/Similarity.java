package dev.agentbrain.storage;

/**
 * The one score scale every backend reports, defined here and nowhere else.
 *
 * <p>Vector scores are cosine similarity clamped to [0, 1]: {@code max(0, 1 - cosineDistance)}. A
 * similarity threshold is inclusive: a hit is kept when {@code score >= threshold}.
 */
public final class Similarity {

  private Similarity() {}

  /** Turns a cosine distance (0 = same direction, 2 = opposite) into a score in [0, 1]. */
  public static double fromCosineDistance(double distance) {
    return Math.max(0.0, Math.min(1.0, 1.0 - distance));
  }

  /** Whether a score passes a threshold; inclusive on every backend. */
  public static boolean passes(double score, double threshold) {
    return score >= threshold;
  }
}
