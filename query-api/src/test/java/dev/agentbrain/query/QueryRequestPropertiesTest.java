package dev.agentbrain.query;

import static dev.agentbrain.query.JsonArbitraries.NODES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of request parsing ({@link QueryRequest#fromJson} then {@link QueryRequest#toSearch}):
 * any body is a search or an {@link InvalidRequestException} (a 400), never another exception (a
 * 500).
 */
class QueryRequestPropertiesTest {

  /** The JSON names of the request's fields. */
  private static final List<String> FIELDS =
      Arrays.stream(QueryRequest.class.getRecordComponents())
          .map(field -> field.getAccessor().getAnnotation(JsonProperty.class).value())
          .toList();

  @Property(tries = 500)
  void anyFieldValuesAreASearchOrA400(@ForAll("bodies") Map<String, JsonNode> fields) {
    ObjectNode body = NODES.objectNode();
    fields.forEach(body::set);
    assertSearchOrRefused(body.toString());
  }

  @Property(tries = 500)
  void anyTextIsASearchOrA400(@ForAll("texts") String body) {
    assertSearchOrRefused(body);
  }

  private static void assertSearchOrRefused(String body) {
    Throwable thrown = catchThrowable(() -> QueryRequest.fromJson(body).toSearch(Optional.empty()));
    if (thrown != null) {
      assertThat(thrown).as("body %s", body).isInstanceOf(InvalidRequestException.class);
      assertThat(ErrorTable.answer(thrown).orElseThrow().status()).isEqualTo(400);
      assertThat(thrown.getMessage()).isNotBlank();
    }
  }

  /**
   * Objects of some of the request's fields (nearly always {@code query}), each mostly a value of
   * its type, in or out of range, and sometimes any JSON at all; now and then an unknown field.
   */
  @Provide
  Arbitrary<Map<String, JsonNode>> bodies() {
    Arbitrary<List<String>> names =
        Arbitraries.of(FIELDS)
            .set()
            .ofMaxSize(6)
            .map(
                set -> {
                  List<String> list = new ArrayList<>(set);
                  list.add("query");
                  return list;
                });
    return names.flatMap(
        list ->
            Combinators.combine(list.stream().map(this::value).toList())
                .as(
                    values -> {
                      Map<String, JsonNode> body = new LinkedHashMap<>();
                      for (int i = 0; i < list.size(); i++) {
                        body.put(list.get(i), values.get(i));
                      }
                      return body;
                    }));
  }

  private Arbitrary<JsonNode> value(String field) {
    Arbitrary<JsonNode> typed =
        switch (field) {
          case "top_k", "rrf_k", "offset" ->
              Arbitraries.integers().between(-5, 2_000).map(NODES::numberNode);
          case "similarity_threshold", "alpha", "vector_weight", "bm25_weight" ->
              Arbitraries.doubles().between(-2, 2).map(NODES::numberNode);
          case "mode" ->
              Arbitraries.of("vector", "bm25", "hybrid", "rrf", " RRF ", "x").map(NODES::textNode);
          case "backend" -> Arbitraries.of("postgres", "chroma", "x").map(NODES::textNode);
          case "explain" -> Arbitraries.of(true, false).map(NODES::booleanNode);
          case "source_types", "languages", "file_paths", "document_ids" ->
              Arbitraries.strings()
                  .withChars("ab/*")
                  .ofMaxLength(4)
                  .list()
                  .ofMaxSize(3)
                  .map(
                      values ->
                          JsonArbitraries.array(
                              values.stream()
                                  .map(NODES::textNode)
                                  .map(JsonNode.class::cast)
                                  .toList()));
          case "metadata", "filter" ->
              JsonArbitraries.json(3, List.of("field", "eq", "in", "source"));
          default -> Arbitraries.strings().ofMaxLength(20).map(NODES::textNode);
        };
    return Arbitraries.frequencyOf(
        Tuple.of(8, typed), Tuple.of(1, JsonArbitraries.json(2, List.of("query"))));
  }

  /** Text that is sometimes JSON, mostly not. */
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(50),
        Arbitraries.strings().withChars("{}[]\":,0123456789.e- ").ofMaxLength(30),
        JsonArbitraries.json(3, FIELDS).map(JsonNode::toString),
        Arbitraries.of("", "null", "[]", "{}", "\"query\"", "{\"query\": null}"));
  }
}
