package dev.agentbrain.storage.keyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.Bm25;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Bm25ScorerTest {

  /** Four chunks of 20 terms in all (average 5); "kafka" in one, "broker" in all four. */
  private static final Map<String, Long> FREQUENCIES = Map.of("kafka", 1L, "broker", 4L);

  private static final double KAFKA_IDF = Math.log(10.0 / 3); // ln(1 + 3.5 / 1.5)
  private static final double BROKER_IDF = Math.log(10.0 / 9); // ln(1 + 0.5 / 4.5)

  private static Bm25Scorer scorer(Bm25 bm25, Map<String, Integer> queryCounts) {
    return Bm25Scorer.of(bm25, queryCounts, FREQUENCIES, 4, 20);
  }

  private static Map<String, Integer> counts(Object... termsAndCounts) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < termsAndCounts.length; i += 2) {
      counts.put((String) termsAndCounts[i], (Integer) termsAndCounts[i + 1]);
    }
    return counts;
  }

  @Test
  @DisplayName("a term of average length held twice: idf x 2 (k1 + 1) / (2 + k1), worked by hand")
  void averageLengthExample() {
    Bm25Scorer scorer = scorer(Bm25.STANDARD, counts("kafka", 1));

    // norm = 1 - 0.75 + 0.75 * 5 / 5 = 1, so 2 * 2.2 / (2 + 1.2) = 1.375
    assertThat(scorer.score("kafka", 2, 5)).isCloseTo(1.375 * KAFKA_IDF, within(1e-12));
  }

  @Test
  @DisplayName("a chunk twice the average length: norm 1.75, so 2 x 2.2 / (2 + 2.1)")
  void longChunkExample() {
    Bm25Scorer scorer = scorer(Bm25.STANDARD, counts("kafka", 1));

    assertThat(scorer.score("kafka", 2, 10)).isCloseTo(4.4 / 4.1 * KAFKA_IDF, within(1e-12));
  }

  @Test
  @DisplayName("a term twice in the query counts twice, and a common term weighs little")
  void queryCountMultipliesTheWeight() {
    Bm25Scorer scorer = scorer(Bm25.STANDARD, counts("broker", 2));

    // tf 1 at average length: 2.2 / 2.2 = 1
    assertThat(scorer.score("broker", 1, 5)).isCloseTo(2 * BROKER_IDF, within(1e-12));
  }

  @Test
  @DisplayName("terms no chunk holds drop out, the rest keep the query's order")
  void unknownTermsDropOut() {
    Bm25Scorer scorer = scorer(Bm25.STANDARD, counts("broker", 1, "zookeeper", 3, "kafka", 1));

    assertThat(scorer.terms()).containsExactly("broker", "kafka");
    assertThat(scorer.matchesNothing()).isFalse();
    assertThat(scorer(Bm25.STANDARD, counts("zookeeper", 1)).matchesNothing()).isTrue();
  }

  @Test
  @DisplayName("the bound is the summed query weights times k1 + 1, and a score its share of it")
  void boundAndSimilarity() {
    Bm25Scorer scorer = scorer(Bm25.STANDARD, counts("kafka", 1, "broker", 2));
    double bound = (KAFKA_IDF + 2 * BROKER_IDF) * 2.2;

    assertThat(scorer.bound()).isCloseTo(bound, within(1e-12));
    assertThat(scorer.similarity(bound / 4)).isCloseTo(0.25, within(1e-12));
    assertThat(scorer.similarity(bound * 2)).isEqualTo(1.0);
  }

  @Test
  @DisplayName("k1 = 0: one occurrence is as good as many, and length does not matter")
  void k1ZeroIgnoresFrequencyAndLength() {
    Bm25Scorer scorer = scorer(new Bm25(0, 0.75), counts("kafka", 1));

    assertThat(scorer.score("kafka", 1, 5)).isCloseTo(KAFKA_IDF, within(1e-12));
    assertThat(scorer.score("kafka", 7, 40)).isCloseTo(KAFKA_IDF, within(1e-12));
    assertThat(scorer.bound()).isCloseTo(KAFKA_IDF, within(1e-12));
  }

  @Test
  @DisplayName("b = 0: length does not matter; b = 1: the norm is length / average")
  void bEdgeCases() {
    Bm25Scorer flat = scorer(new Bm25(1.2, 0), counts("kafka", 1));
    Bm25Scorer full = scorer(new Bm25(1.2, 1), counts("kafka", 1));

    assertThat(flat.score("kafka", 2, 1)).isEqualTo(flat.score("kafka", 2, 500));
    // norm = 10 / 5 = 2: 2 * 2.2 / (2 + 2.4)
    assertThat(full.score("kafka", 2, 10)).isCloseTo(4.4 / 4.4 * KAFKA_IDF, within(1e-12));
  }

  @Test
  @DisplayName("the average length is at least 1, also for no chunks or empty ones")
  void averageLengthIsAtLeastOne() {
    assertThat(Bm25Scorer.averageLength(4, 20)).isEqualTo(5.0);
    assertThat(Bm25Scorer.averageLength(3, 4)).isCloseTo(4.0 / 3, within(1e-12));
    assertThat(Bm25Scorer.averageLength(2, 1)).isEqualTo(1.0);
    assertThat(Bm25Scorer.averageLength(3, 0)).isEqualTo(1.0);
    assertThat(Bm25Scorer.averageLength(0, 0)).isEqualTo(1.0);
  }

  @Test
  @DisplayName(
      "scores equal PostgreSQL's formula term for term (KeywordSearch.keywordSql in storage/postgres)")
  void equalsThePostgresFormula() {
    Bm25 bm25 = new Bm25(0.9, 0.4);
    long chunks = 37;
    long totalLength = 911;
    Map<String, Long> frequencies = Map.of("a", 1L, "b", 12L, "c", 37L);
    Map<String, Integer> queryCounts = counts("a", 2, "b", 1, "c", 3);
    Bm25Scorer scorer = Bm25Scorer.of(bm25, queryCounts, frequencies, chunks, totalLength);
    // greatest(total_length::float8 / nullif(chunks, 0), 1)
    double averageLength = Math.max((double) totalLength / chunks, 1);

    for (String term : queryCounts.keySet()) {
      long df = frequencies.get(term);
      // cardinality(q.positions) * ln(1 + (s.chunks - t.df + 0.5) / (t.df + 0.5))
      double weight = queryCounts.get(term) * Math.log(1 + (chunks - df + 0.5) / (df + 0.5));
      for (int tf = 1; tf <= 4; tf++) {
        for (long length : List.of(1L, 7L, 25L, 300L)) {
          // w.weight * m.tf * (s.k1 + 1) / (m.tf + s.k1 * (1 - s.b + s.b * m.text_length / avg))
          double postgres =
              weight
                  * tf
                  * (bm25.k1() + 1)
                  / (tf + bm25.k1() * (1 - bm25.b() + bm25.b() * length / averageLength));

          assertThat(scorer.score(term, tf, length)).isCloseTo(postgres, within(1e-12));
          assertThat(scorer.score(term, tf, length))
              .isCloseTo(
                  queryCounts.get(term)
                      * Bm25.idf(chunks, df)
                      * bm25.termWeight(tf, length, averageLength),
                  within(1e-12));
        }
      }
    }
  }

  private record Scored(String id, double score) {}

  private static final ToDoubleFunction<Scored> SCORE = Scored::score;

  private static List<Scored> scored(double... scores) {
    return IntStream.range(0, scores.length).mapToObj(i -> new Scored("c" + i, scores[i])).toList();
  }

  @Test
  @DisplayName("the contenders for the top k are the first k and every later tie with the k-th")
  void contendersIncludeTies() {
    List<Scored> bestFirst = scored(5, 4, 4, 4, 3);

    assertThat(Bm25Scorer.contenders(bestFirst, SCORE, 2)).isEqualTo(4);
    assertThat(Bm25Scorer.contenders(bestFirst, SCORE, 1)).isEqualTo(1);
    assertThat(Bm25Scorer.contenders(bestFirst, SCORE, 4)).isEqualTo(4);
    assertThat(Bm25Scorer.contenders(bestFirst, SCORE, 10)).isEqualTo(5);
    assertThat(Bm25Scorer.contenders(bestFirst, SCORE, 0)).isZero();
    assertThat(Bm25Scorer.contenders(List.of(), SCORE, 3)).isZero();
  }
}
