package dev.agentbrain.query.shadow;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How far two rankings of the same query agree.
 *
 * @param overlap shared results over the longer list's length (top-k overlap), 0 to 1; 1 when both
 *     are empty
 * @param rbo rank-biased overlap (Webber, Moffat and Zobel 2010), extrapolated, with persistence
 *     {@link #RBO_P}: 1 for identical rankings, 0 for disjoint ones; agreement near the top weighs
 *     most (with p = 0.9 the first 10 ranks carry about 86% of the weight)
 * @param meanScoreDifference mean absolute score difference over the shared results (0 when none)
 * @param maxScoreDifference largest absolute score difference over the shared results
 */
public record RankAgreement(
    double overlap, double rbo, double meanScoreDifference, double maxScoreDifference) {

  /** The persistence of RBO: the chance a reader looks one rank further. */
  public static final double RBO_P = 0.9;

  /** Compares two rankings (ids best first; scores in the same order). */
  public static RankAgreement of(Ranking a, Ranking b) {
    List<String> x = a.chunkIds();
    List<String> y = b.chunkIds();
    if (x.isEmpty() && y.isEmpty()) {
      return new RankAgreement(1, 1, 0, 0);
    }
    Set<String> shared = new HashSet<>(x);
    shared.retainAll(new HashSet<>(y));
    Map<String, Double> scoresOfB = new HashMap<>();
    for (int i = 0; i < y.size(); i++) {
      scoresOfB.put(y.get(i), b.scores().get(i));
    }
    double sum = 0;
    double max = 0;
    for (int i = 0; i < x.size(); i++) {
      Double other = scoresOfB.get(x.get(i));
      if (other != null) {
        double difference = Math.abs(a.scores().get(i) - other);
        sum += difference;
        max = Math.max(max, difference);
      }
    }
    return new RankAgreement(
        (double) shared.size() / Math.max(x.size(), y.size()),
        rbo(x, y, RBO_P),
        shared.isEmpty() ? 0 : sum / shared.size(),
        max);
  }

  /**
   * Extrapolated RBO to the depth of the longer list (equation 32 of the paper, for lists of equal
   * length; a shorter list is read as continuing with results the other does not have).
   */
  static double rbo(List<String> x, List<String> y, double p) {
    int depth = Math.max(x.size(), y.size());
    Set<String> seenX = new HashSet<>();
    Set<String> seenY = new HashSet<>();
    int overlap = 0;
    double weighted = 0;
    for (int d = 1; d <= depth; d++) {
      String fromX = d <= x.size() ? x.get(d - 1) : null;
      String fromY = d <= y.size() ? y.get(d - 1) : null;
      if (fromX != null && fromX.equals(fromY)) {
        overlap++;
      } else {
        if (fromX != null && seenY.contains(fromX)) {
          overlap++;
        }
        if (fromY != null && seenX.contains(fromY)) {
          overlap++;
        }
      }
      if (fromX != null) {
        seenX.add(fromX);
      }
      if (fromY != null) {
        seenY.add(fromY);
      }
      weighted += (double) overlap / d * Math.pow(p, d);
    }
    return (double) overlap / depth * Math.pow(p, depth) + (1 - p) / p * weighted;
  }
}
