package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QueryRequestTest {

  @Test
  @DisplayName("a hybrid request without alpha gets the tuned default and the one normalisation")
  void hybridDefaults() {
    assertThat(request("hybrid", null, null).toSearch(Optional.empty()).mode())
        .isEqualTo(
            new SearchMode.Hybrid(
                SearchMode.Hybrid.DEFAULT_ALPHA, SearchMode.Hybrid.NORMALISATION));
  }

  @Test
  @DisplayName("a client that sends alpha or rrf_k gets exactly what it asked for")
  void sentValuesWin() {
    assertThat(request("hybrid", 0.3, null).toSearch(Optional.empty()).mode())
        .isEqualTo(new SearchMode.Hybrid(0.3));
    assertThat(request("rrf", null, 7).toSearch(Optional.empty()).mode())
        .isEqualTo(
            new SearchMode.Rrf(
                7, SearchMode.Rrf.DEFAULT_VECTOR_WEIGHT, SearchMode.Rrf.DEFAULT_BM25_WEIGHT));
  }

  @Test
  @DisplayName("an rrf request without rrf_k gets the tuned default k and weights")
  void rrfDefaults() {
    assertThat(request("rrf", null, null).toSearch(Optional.empty()).mode())
        .isEqualTo(
            new SearchMode.Rrf(
                SearchMode.Rrf.DEFAULT_K,
                SearchMode.Rrf.DEFAULT_VECTOR_WEIGHT,
                SearchMode.Rrf.DEFAULT_BM25_WEIGHT));
  }

  private static QueryRequest request(String mode, Double alpha, Integer rrfK) {
    return new QueryRequest(
        "query", null, null, mode, null, null, alpha, rrfK, null, null, null, null, null, null,
        null, null, null, null);
  }
}
