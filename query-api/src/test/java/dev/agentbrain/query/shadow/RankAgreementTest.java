package dev.agentbrain.query.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RankAgreementTest {

  private static Ranking ranking(String... ids) {
    return new Ranking(
        List.of(ids), IntStream.range(0, ids.length).mapToObj(i -> 1.0 - i * 0.1).toList(), 1);
  }

  @Test
  @DisplayName("identical rankings agree fully")
  void identical() {
    RankAgreement agreement = RankAgreement.of(ranking("a", "b", "c"), ranking("a", "b", "c"));
    assertThat(agreement.overlap()).isEqualTo(1.0);
    assertThat(agreement.rbo()).isCloseTo(1.0, within(1e-12));
    assertThat(agreement.maxScoreDifference()).isZero();
  }

  @Test
  @DisplayName("disjoint rankings have no overlap and an RBO of zero")
  void disjoint() {
    RankAgreement agreement = RankAgreement.of(ranking("a", "b"), ranking("c", "d"));
    assertThat(agreement.overlap()).isZero();
    assertThat(agreement.rbo()).isZero();
  }

  @Test
  @DisplayName("the same results in another order overlap fully, and RBO sees the order")
  void reordered() {
    RankAgreement agreement =
        RankAgreement.of(ranking("a", "b", "c", "d"), ranking("b", "a", "d", "c"));
    assertThat(agreement.overlap()).isEqualTo(1.0);
    assertThat(agreement.rbo()).isLessThan(1.0).isGreaterThan(0.8);
  }

  @Test
  @DisplayName("a difference at the top costs more than the same difference at the bottom")
  void topWeighsMore() {
    List<String> base = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    List<String> topSwapped = new java.util.ArrayList<>(base);
    topSwapped.set(0, "x");
    List<String> bottomSwapped = new java.util.ArrayList<>(base);
    bottomSwapped.set(9, "x");
    double top = RankAgreement.rbo(base, topSwapped, RankAgreement.RBO_P);
    double bottom = RankAgreement.rbo(base, bottomSwapped, RankAgreement.RBO_P);
    assertThat(top).isLessThan(bottom);
    assertThat(bottom).isLessThan(1.0);
  }

  @Test
  @DisplayName("RBO of a list against its reverse matches the value worked out by hand")
  void knownValue() {
    // depth 2, p 0.9: X1 = 0, X2 = 2 -> (2/2)*0.81 + (0.1/0.9)*(0 + 1*0.81) = 0.9
    assertThat(RankAgreement.rbo(List.of("a", "b"), List.of("b", "a"), 0.9))
        .isCloseTo(0.9, within(1e-12));
    List<String> reversed = new java.util.ArrayList<>(List.of("a", "b", "c"));
    Collections.reverse(reversed);
    assertThat(RankAgreement.rbo(List.of("a", "b", "c"), reversed, 0.9)).isBetween(0.0, 1.0);
  }

  @Test
  @DisplayName("score differences are measured on shared results only")
  void scoreDifferences() {
    Ranking a = new Ranking(List.of("a", "b", "c"), List.of(0.9, 0.8, 0.7), 1);
    Ranking b = new Ranking(List.of("b", "a", "z"), List.of(0.85, 0.88, 0.1), 1);
    RankAgreement agreement = RankAgreement.of(a, b);
    assertThat(agreement.meanScoreDifference()).isCloseTo((0.02 + 0.05) / 2, within(1e-9));
    assertThat(agreement.maxScoreDifference()).isCloseTo(0.05, within(1e-9));
    assertThat(agreement.overlap()).isCloseTo(2.0 / 3, within(1e-9));
  }
}
