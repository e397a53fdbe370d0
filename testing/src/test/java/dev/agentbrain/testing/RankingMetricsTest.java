package dev.agentbrain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  @Test
  @DisplayName("the ideal order scores nDCG 1")
  void idealOrderScoresOne() {
    assertThat(RankingMetrics.ndcg(List.of("a", "b", "x"), Map.of("a", 2, "b", 1), 10))
        .isCloseTo(1.0, within(1e-12));
  }

  @Test
  @DisplayName("a relevant document at rank 2 of 1 relevant scores 1 / log2(3)")
  void rankTwoIsDiscounted() {
    assertThat(RankingMetrics.ndcg(List.of("x", "a"), Map.of("a", 1), 10))
        .isCloseTo(1 / (Math.log(3) / Math.log(2)), within(1e-12));
  }

  @Test
  @DisplayName("documents below rank k do not count")
  void cutOffAtK() {
    assertThat(RankingMetrics.ndcg(List.of("x", "y", "a"), Map.of("a", 1), 2)).isZero();
    assertThat(RankingMetrics.recall(List.of("x", "y", "a"), Map.of("a", 1), 2)).isZero();
  }

  @Test
  @DisplayName("recall is the share of relevant documents found in the first k")
  void recallShare() {
    assertThat(RankingMetrics.recall(List.of("a", "x", "c"), Map.of("a", 1, "b", 1, "c", 1), 3))
        .isCloseTo(2 / 3.0, within(1e-12));
  }
}
