package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.storage.Filter;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validation of a search without a server: {@link QueryRequest} (the wire form), {@link
 * SearchRequest}, {@link SearchMode} and {@link FilterLanguage} refuse a wrong value with an {@link
 * InvalidRequestException} whose message is what the client reads.
 */
class RequestValidationTest {

  private static SearchRequest search(String json) {
    return QueryRequest.fromJson(json.replace('\'', '"')).toSearch(Optional.empty());
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("{'query': '  '}", "query must not be empty"),
        Arguments.of(
            "{'query': '" + "q".repeat(8001) + "'}", "query is longer than 8000 characters"),
        Arguments.of("{'query': 'q', 'top_k': 0}", "top_k must be between 1 and 100"),
        Arguments.of("{'query': 'q', 'top_k': 101}", "top_k must be between 1 and 100"),
        Arguments.of(
            "{'query': 'q', 'offset': -1}",
            "offset must be at least 0, and offset + top_k at most 1000"),
        Arguments.of(
            "{'query': 'q', 'offset': 996}",
            "offset must be at least 0, and offset + top_k at most 1000"),
        Arguments.of(
            "{'query': 'q', 'offset': 2147483647}",
            "offset must be at least 0, and offset + top_k at most 1000"),
        Arguments.of(
            "{'query': 'q', 'similarity_threshold': 1.5}",
            "similarity_threshold must be between 0 and 1"),
        Arguments.of(
            "{'query': 'q', 'mode': 'hybrid', 'alpha': -0.1}", "alpha must be between 0 and 1"),
        Arguments.of(
            "{'query': 'q', 'mode': 'hybrid', 'alpha': 1.01}", "alpha must be between 0 and 1"),
        Arguments.of(
            "{'query': 'q', 'mode': 'rrf', 'rrf_k': 0}",
            "rrf_k must be 1..1000 and the weights must not be negative"),
        Arguments.of(
            "{'query': 'q', 'mode': 'rrf', 'bm25_weight': -1}",
            "rrf_k must be 1..1000 and the weights must not be negative"),
        Arguments.of(
            "{'query': 'q', 'mode': 'semantic'}",
            "mode must be one of [vector, bm25, hybrid, rrf], not 'semantic'"),
        Arguments.of("{'query': 'q', 'colour': 'red'}", "unknown field 'colour'"),
        Arguments.of(
            "{'query': 'q', 'top_k': 'ten'}",
            "field 'top_k' has the wrong type, or a number out of its range"),
        Arguments.of("[1, 2]", "the body must be a JSON object with at least a \"query\" field"),
        Arguments.of(
            "{'query': ", "the body must be a JSON object with at least a \"query\" field"),
        Arguments.of(
            "{'query': 'q', 'filter': {'field': 'colour', 'eq': 'red'}}",
            "unknown filter field 'colour': use source, source_type, language, document_id or"
                + " metadata.KEY"),
        Arguments.of(
            "{'query': 'q', 'filter': {'field': 'language', 'in': 'x'}}",
            "'in' needs a list of values"),
        Arguments.of(
            "{'query': 'q', 'filter': {'and': []}}",
            "'and' needs a non-empty list of filter expressions"),
        Arguments.of(
            "{'query': 'q', 'filter': 'language = x'}",
            "a filter expression must be a JSON object"),
        Arguments.of(
            "{'query': 'q', 'filter': {'field': 'source', 'glob': 7}}",
            "'glob' needs one path pattern, e.g. \"docs/**/*.md\""),
        Arguments.of(
            "{'query': 'q', 'metadata': {'': 'x'}}", "a metadata key must be 1 to 256 characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  @DisplayName("a wrong value is refused with the message the client reads")
  void refusedWithMessage(String json, String message) {
    assertThatThrownBy(() -> search(json))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidRequestException.Reason.INVALID))
        .hasMessage(message);
  }

  @Test
  @DisplayName("the edges of every range are accepted")
  void edgesAccepted() {
    SearchRequest edges =
        search(
            "{'query': ' q ', 'top_k': 100, 'offset': 900, 'similarity_threshold': 1,"
                + " 'mode': 'rrf', 'rrf_k': 1000, 'vector_weight': 0, 'bm25_weight': 0}");
    assertThat(edges.text()).isEqualTo("q");
    assertThat(edges.offset() + edges.topK()).isEqualTo(SearchRequest.MAX_DEPTH);
    assertThat(edges.mode()).isEqualTo(new SearchMode.Rrf(1000, 0, 0));
    assertThat(search("{'query': 'q', 'mode': ' BM25 '}").mode()).isEqualTo(new SearchMode.Bm25());
  }

  @Test
  @DisplayName("a mode refuses NaN: alpha and the rrf weights must be numbers in range")
  void modesRefuseNaN() {
    assertThatThrownBy(() -> new SearchMode.Hybrid(Double.NaN))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("alpha must be between 0 and 1");
    assertThatThrownBy(() -> new SearchMode.Rrf(10, Double.NaN, 1))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("rrf_k must be 1..1000 and the weights must not be negative");
    assertThatThrownBy(() -> new SearchMode.Rrf(1001, 1, 1))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  @DisplayName("a search refuses a NaN threshold, which no range check of < and > would catch")
  void searchRefusesNaN() {
    assertThatThrownBy(
            () ->
                new SearchRequest(
                    "q",
                    "docs",
                    new SearchMode.Vector(),
                    5,
                    0,
                    Double.NaN,
                    Filter.ALL,
                    false,
                    Optional.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("similarity_threshold must be between 0 and 1");
  }
}
