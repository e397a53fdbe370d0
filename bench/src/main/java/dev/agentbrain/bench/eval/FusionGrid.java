package dev.agentbrain.bench.eval;

import dev.agentbrain.query.ScoreNormalisation;
import dev.agentbrain.query.SearchMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The fusion settings {@code make eval} tries on the train split, and the pick: the setting with
 * the best train nDCG@10, averaged over the backends, so that both backends get one setting.
 */
final class FusionGrid {

  static final double[] ALPHAS = {
    0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0
  };
  static final int[] RRF_KS = {1, 2, 5, 10, 20, 30, 40, 60, 80, 100};
  static final double[] VECTOR_WEIGHTS = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};

  /** Least fusion depths tried: each retriever's candidates and the normalisation's statistics. */
  static final int[] DEPTHS = {50, 100, 200, 400};

  /** A hybrid setting with the depth its normalisation's statistics come from. */
  record Hybrid(SearchMode.Hybrid mode, int depth) {}

  private FusionGrid() {}

  /**
   * Every hybrid setting of a normalisation: each depth with each alpha, the query embedded with
   * the model's instruction and without it (instructed first, so it wins a tie).
   */
  static List<Hybrid> hybrids(ScoreNormalisation normalisation) {
    List<Hybrid> settings = new ArrayList<>();
    for (boolean instructed : new boolean[] {true, false}) {
      for (int depth : DEPTHS) {
        for (double alpha : ALPHAS) {
          settings.add(new Hybrid(new SearchMode.Hybrid(alpha, normalisation, instructed), depth));
        }
      }
    }
    return settings;
  }

  /** Every hybrid setting: each normalisation with each depth and alpha. */
  static List<Hybrid> hybrids() {
    List<Hybrid> settings = new ArrayList<>();
    for (ScoreNormalisation normalisation : ScoreNormalisation.values()) {
      settings.addAll(hybrids(normalisation));
    }
    return settings;
  }

  /** Every rrf setting: each k with each vector weight (the keyword weight stays 1). */
  static List<SearchMode.Rrf> rrfs() {
    List<SearchMode.Rrf> settings = new ArrayList<>();
    for (int k : RRF_KS) {
      for (double weight : VECTOR_WEIGHTS) {
        settings.add(new SearchMode.Rrf(k, weight, 1));
      }
    }
    return settings;
  }

  /** The setting with the highest score; the first of equals (the grids run low to high). */
  static <T> T best(List<T> settings, ToDoubleFunction<T> score) {
    T best = settings.getFirst();
    double bestScore = score.applyAsDouble(best);
    for (T setting : settings.subList(1, settings.size())) {
      double s = score.applyAsDouble(setting);
      if (s > bestScore) {
        best = setting;
        bestScore = s;
      }
    }
    return best;
  }
}
