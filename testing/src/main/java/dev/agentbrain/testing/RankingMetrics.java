package dev.agentbrain.testing;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The measures BEIR reports (as trec_eval computes them), for one query's ranking. */
public final class RankingMetrics {

  private RankingMetrics() {}

  /**
   * Normalised discounted cumulative gain at {@code k}: {@code sum grade_i / log2(i + 1)} over the
   * first {@code k} ranked ids (i from 1), divided by the same sum for the ideal order of the
   * judgments. Linear gain, as trec_eval's {@code ndcg_cut}.
   *
   * @param ranked document ids, best first
   * @param grades relevance grade of each relevant document (absent: 0)
   */
  public static double ndcg(List<String> ranked, Map<String, Integer> grades, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      dcg += grades.getOrDefault(ranked.get(i), 0) / log2(i + 2);
    }
    List<Integer> ideal = grades.values().stream().sorted(Comparator.reverseOrder()).toList();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  /** Share of the relevant documents that are among the first {@code k} ranked ids. */
  public static double recall(List<String> ranked, Map<String, Integer> grades, int k) {
    if (grades.isEmpty()) {
      return 0;
    }
    long found =
        ranked.stream().limit(k).filter(id -> grades.getOrDefault(id, 0) > 0).distinct().count();
    return (double) found / grades.size();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
