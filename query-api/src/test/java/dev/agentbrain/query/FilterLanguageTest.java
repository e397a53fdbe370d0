package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Filter.Field;
import dev.agentbrain.storage.PathGlob;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FilterLanguageTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static Filter expression(String text) throws Exception {
    return FilterLanguage.parse(null, null, null, null, null, json(text));
  }

  @Test
  @DisplayName("no shorthand and no expression is every chunk")
  void nothingIsAll() {
    assertThat(FilterLanguage.parse(null, List.of(), null, null, Map.of(), null))
        .isEqualTo(Filter.ALL);
  }

  @Test
  @DisplayName("shorthands combine with AND, each a multi-value IN; several globs are an OR")
  void shorthandsCombine() throws Exception {
    Filter filter =
        FilterLanguage.parse(
            List.of("code"),
            List.of("java", "python"),
            null,
            List.of("src/**", "lib/*.py"),
            Map.of("tier", json("['gold', 1]")),
            null);

    assertThat(filter)
        .isEqualTo(
            new Filter.And(
                List.of(
                    new Filter.In(new Field.SourceType(), List.of("code")),
                    new Filter.In(new Field.Language(), List.of("java", "python")),
                    new Filter.Or(
                        List.of(
                            new Filter.SourceGlob(new PathGlob("src/**")),
                            new Filter.SourceGlob(new PathGlob("lib/*.py")))),
                    new Filter.In(new Field.Metadata("tier"), List.of("gold", "1")))));
  }

  @Test
  @DisplayName("an expression nests and, or, eq, in and glob")
  void expressionNests() throws Exception {
    Filter filter =
        expression(
            "{'or': [{'field': 'metadata.team', 'eq': 'search'},"
                + " {'and': [{'field': 'document_id', 'in': ['a', 'b']},"
                + " {'field': 'source', 'glob': 'docs/**'}]}]}");

    assertThat(filter)
        .isEqualTo(
            new Filter.Or(
                List.of(
                    new Filter.In(new Field.Metadata("team"), List.of("search")),
                    new Filter.And(
                        List.of(
                            new Filter.In(new Field.DocumentId(), List.of("a", "b")),
                            new Filter.SourceGlob(new PathGlob("docs/**")))))));
  }

  @Test
  @DisplayName("malformed expressions are refused with a 400 that says what is allowed")
  void malformedIsRefused() {
    for (String bad :
        List.of(
            "{'field': 'colour', 'eq': 'red'}",
            "{'field': 'language', 'eq': 'x', 'in': ['y']}",
            "{'field': 'language', 'in': 'x'}",
            "{'and': []}",
            "{'or': {'field': 'language', 'eq': 'x'}}",
            "{'field': 'language', 'eq': {'nested': 1}}",
            "{'field': 'language', 'eq': null}",
            "{'field': 'language', 'glob': '*'}",
            "['language']")) {
      assertThatThrownBy(() -> expression(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> assertThat(ErrorTable.answer(e).orElseThrow().status()).isEqualTo(400));
    }
  }

  @Test
  @DisplayName("an expression may not nest deeper than 8 levels or hold more than 256 values")
  void boundedSize() throws Exception {
    String deep = "{'field': 'language', 'eq': 'x'}";
    for (int i = 0; i < 8; i++) {
      deep = "{'and': [" + deep + "]}";
    }
    String tooDeep = deep;
    assertThatThrownBy(() -> expression(tooDeep)).hasMessageContaining("deeper than 8");

    List<String> many = java.util.stream.IntStream.range(0, 257).mapToObj(i -> "v" + i).toList();
    assertThatThrownBy(() -> FilterLanguage.parse(many, null, null, null, null, null))
        .hasMessageContaining("at most 256 values");
  }
}
