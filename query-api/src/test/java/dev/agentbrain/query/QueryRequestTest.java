package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QueryRequestTest {

  @Test
  @DisplayName("a hybrid request without alpha gets the train's pick: alpha 0.95 on L2 scores")
  void hybridDefaults() {
    assertThat(request("hybrid", null, null).toSearch(Optional.empty()).mode())
        .isEqualTo(SearchMode.Hybrid.DEFAULT)
        .isEqualTo(new SearchMode.Hybrid(0.95, ScoreNormalisation.L2, false));
  }

  @Test
  @DisplayName(
      "a client that sends alpha gets that alpha on the stored 0..1 scores, as before; rrf_k wins")
  void sentValuesWin() {
    for (double alpha : new double[] {0, 0.3, 0.5, 0.95, 1}) {
      assertThat(request("hybrid", alpha, null).toSearch(Optional.empty()).mode())
          .isEqualTo(new SearchMode.Hybrid(alpha, ScoreNormalisation.STORED, true));
    }
    assertThat(request("rrf", null, 60).toSearch(Optional.empty()).mode())
        .isEqualTo(new SearchMode.Rrf(60, 2, 1));
  }

  @Test
  @DisplayName("an rrf request without rrf_k gets the train's pick: k 10, vector weight 2")
  void rrfDefaults() {
    assertThat(request("rrf", null, null).toSearch(Optional.empty()).mode())
        .isEqualTo(SearchMode.Rrf.DEFAULT)
        .isEqualTo(new SearchMode.Rrf(10, 2, 1));
  }

  @Test
  @DisplayName(
      "a keyword query of more than 64 words is 400 saying how to shorten it; vector takes it")
  void keywordQueriesAreCapped() {
    String words64 = "kafka, ".repeat(SearchRequest.MAX_KEYWORD_WORDS);
    String words65 = words64 + "log";
    for (String mode : new String[] {"bm25", "hybrid", "rrf"}) {
      assertThat(request(words64, mode).toSearch(Optional.empty()).text()).startsWith("kafka");
      assertThatThrownBy(() -> request(words65, mode).toSearch(Optional.empty()))
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> assertThat(ErrorTable.answer(e).orElseThrow().status()).isEqualTo(400))
          .hasMessageContaining("at most 64 words and this one has 65")
          .hasMessageContaining("mode vector");
    }
    assertThat(request(words65, "vector").toSearch(Optional.empty()).text()).endsWith("log");
  }

  private static QueryRequest request(String mode, Double alpha, Integer rrfK) {
    return request("query", mode, alpha, rrfK);
  }

  private static QueryRequest request(String query, String mode) {
    return request(query, mode, null, null);
  }

  private static QueryRequest request(String query, String mode, Double alpha, Integer rrfK) {
    return new QueryRequest(
        query, null, null, mode, null, null, alpha, rrfK, null, null, null, null, null, null, null,
        null, null, null);
  }
}
