package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Bm25Test {

  private final Bm25 bm25 = Bm25.STANDARD;

  @Test
  @DisplayName("IDF is Lucene's ln(1 + (N - df + 0.5) / (df + 0.5))")
  void idfMatchesLuceneFormula() {
    assertThat(Bm25.idf(1000, 10)).isCloseTo(Math.log(1 + 990.5 / 10.5), within(1e-12));
  }

  @Test
  @DisplayName("a term in every chunk still has a positive IDF, and rarer terms weigh more")
  void idfIsPositiveAndFallsWithFrequency() {
    assertThat(Bm25.idf(100, 100)).isPositive();
    assertThat(Bm25.idf(100, 1)).isGreaterThan(Bm25.idf(100, 2));
  }

  @Test
  @DisplayName("a chunk of average length with one occurrence weighs exactly 1")
  void averageChunkWithOneOccurrence() {
    assertThat(bm25.termWeight(1, 50, 50.0)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  @DisplayName("the term weight is tf (k1 + 1) / (tf + k1 (1 - b + b len / avg))")
  void termWeightFormula() {
    double expected = 3 * 2.2 / (3 + 1.2 * (0.25 + 0.75 * 80 / 40.0));

    assertThat(bm25.termWeight(3, 80, 40.0)).isCloseTo(expected, within(1e-12));
  }

  @Test
  @DisplayName("repeats add less and less, and never reach k1 + 1")
  void repeatsSaturate() {
    double one = bm25.termWeight(1, 40, 40.0);
    double two = bm25.termWeight(2, 40, 40.0);
    double three = bm25.termWeight(3, 40, 40.0);

    assertThat(two - one).isGreaterThan(three - two);
    assertThat(bm25.termWeight(10_000, 40, 40.0)).isLessThan(bm25.k1() + 1);
  }

  @Test
  @DisplayName("with b = 0 length does not matter; with b = 1 a longer chunk weighs less")
  void lengthNormalisationFollowsB() {
    Bm25 flat = new Bm25(1.2, 0);
    Bm25 full = new Bm25(1.2, 1);

    assertThat(flat.termWeight(2, 10, 40.0)).isEqualTo(flat.termWeight(2, 400, 40.0));
    assertThat(full.termWeight(2, 80, 40.0)).isLessThan(full.termWeight(2, 20, 40.0));
  }

  @Test
  @DisplayName("the bound is the summed query weights times k1 + 1")
  void boundIsSummedWeightsTimesK1PlusOne() {
    assertThat(bm25.bound(4.0)).isCloseTo(8.8, within(1e-12));
  }

  @Test
  @DisplayName("a normalised BM25 score is the share of the bound, clamped to [0, 1]")
  void normalisedScore() {
    assertThat(Similarity.fromBm25(2.2, 8.8)).isCloseTo(0.25, within(1e-12));
    assertThat(Similarity.fromBm25(9.0, 8.8)).isEqualTo(1.0);
    assertThat(Similarity.fromBm25(0.0, 0.0)).isZero();
  }

  @Test
  @DisplayName("parameters outside their ranges are refused")
  void parametersAreChecked() {
    assertThatThrownBy(() -> new Bm25(-1, 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Bm25(1.2, 1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Bm25(Double.NaN, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
