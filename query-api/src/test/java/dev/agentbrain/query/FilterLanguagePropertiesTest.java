package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Filter.Field;
import dev.agentbrain.storage.PathGlob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of {@link FilterLanguage}: every well-formed filter, written in the JSON language,
 * parses back to itself; anything else is refused with an {@link InvalidRequestException} (a 400),
 * never another exception.
 */
class FilterLanguagePropertiesTest {

  @Property(tries = 500)
  void aWrittenFilterParsesBackToItself(@ForAll("filters") Filter filter) {
    assertThat(FilterLanguage.parse(null, null, null, null, null, write(filter))).isEqualTo(filter);
  }

  @Property(tries = 1_000)
  void anyJsonIsAFilterOrA400(@ForAll("garbage") JsonNode expression) {
    assertParsesOrIsRefused(() -> FilterLanguage.parse(null, null, null, null, null, expression));
  }

  @Property(tries = 200)
  void anyShorthandsAreAFilterOrA400(
      @ForAll("strings") List<String> sourceTypes,
      @ForAll("strings") List<String> filePaths,
      @ForAll("metadata") Map<String, JsonNode> metadata) {
    assertParsesOrIsRefused(
        () -> FilterLanguage.parse(sourceTypes, null, sourceTypes, filePaths, metadata, null));
  }

  private static void assertParsesOrIsRefused(Runnable parse) {
    Throwable thrown = catchThrowable(parse::run);
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(InvalidRequestException.class);
      assertThat(ErrorTable.answer(thrown).orElseThrow().status()).isEqualTo(400);
      assertThat(thrown.getMessage()).isNotBlank();
    }
  }

  /** The filter in the JSON language, as a client writes it. */
  private static JsonNode write(Filter filter) {
    return switch (filter) {
      case Filter.And and -> list("and", and.filters());
      case Filter.Or or -> list("or", or.filters());
      case Filter.SourceGlob glob ->
          JsonArbitraries.NODES
              .objectNode()
              .put("field", "source")
              .put("glob", glob.glob().pattern());
      case Filter.In in -> {
        ObjectNode node = JsonArbitraries.NODES.objectNode().put("field", name(in.field()));
        if (in.values().size() == 1) {
          node.put("eq", in.values().get(0));
        } else {
          in.values().forEach(node.putArray("in")::add);
        }
        yield node;
      }
      case Filter.All all -> throw new IllegalArgumentException("ALL has no expression");
    };
  }

  private static JsonNode list(String operator, List<Filter> filters) {
    ObjectNode node = JsonArbitraries.NODES.objectNode();
    ArrayNode parts = node.putArray(operator);
    filters.forEach(part -> parts.add(write(part)));
    return node;
  }

  private static String name(Field field) {
    return switch (field) {
      case Field.Source source -> "source";
      case Field.SourceType type -> "source_type";
      case Field.Language language -> "language";
      case Field.DocumentId id -> "document_id";
      case Field.Metadata metadata -> "metadata." + metadata.key();
    };
  }

  @Provide
  Arbitrary<Filter> filters() {
    return filter(3);
  }

  private Arbitrary<Filter> filter(int depth) {
    Arbitrary<Filter> in =
        Arbitraries.oneOf(
                Arbitraries.of(
                    new Field.Source(),
                    new Field.SourceType(),
                    new Field.Language(),
                    new Field.DocumentId()),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(20).map(Field.Metadata::new))
            .flatMap(
                field ->
                    Arbitraries.strings()
                        .ofMaxLength(30)
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(3)
                        .map(values -> new Filter.In(field, values)));
    Arbitrary<Filter> glob =
        Arbitraries.strings()
            .withChars("ab/*?.")
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(pattern -> new Filter.SourceGlob(new PathGlob(pattern)));
    if (depth == 0) {
      return Arbitraries.oneOf(in, glob);
    }
    Arbitrary<List<Filter>> parts =
        Arbitraries.lazy(() -> filter(depth - 1)).list().ofMinSize(1).ofMaxSize(3);
    return Arbitraries.frequencyOf(
        Tuple.of(3, in),
        Tuple.of(1, glob),
        Tuple.of(2, parts.map(Filter.And::new)),
        Tuple.of(2, parts.map(Filter.Or::new)));
  }

  /** JSON made of the language's words in any arrangement, nested deeper than it allows. */
  @Provide
  Arbitrary<JsonNode> garbage() {
    return JsonArbitraries.json(
        12,
        List.of(
            "and",
            "or",
            "field",
            "eq",
            "in",
            "glob",
            "source",
            "source_type",
            "language",
            "document_id",
            "metadata.",
            "metadata.k",
            "**/"));
  }

  @Provide
  Arbitrary<List<String>> strings() {
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(10),
            Arbitraries.just(""),
            Arbitraries.just("x".repeat(PathGlob.MAX_LENGTH + 1)));
    return values
        .injectNull(0.02)
        .list()
        .ofMaxSize(300)
        .map(ArrayList::new); // ArrayList: may hold the nulls a JSON array can carry
  }

  @Provide
  Arbitrary<Map<String, JsonNode>> metadata() {
    Arbitrary<String> keys =
        Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10), Arbitraries.just("k".repeat(257)));
    return Arbitraries.maps(keys, JsonArbitraries.json(2, List.of("a", "**/")))
        .ofMaxSize(4)
        .map(LinkedHashMap::new);
  }
}
