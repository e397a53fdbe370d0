package dev.agentbrain.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Random JSON for property tests: the given words in any arrangement, and values of every type. */
final class JsonArbitraries {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonArbitraries() {}

  /** A JSON array of the nodes. */
  static JsonNode array(List<JsonNode> items) {
    ArrayNode node = NODES.arrayNode();
    items.forEach(node::add);
    return node;
  }

  /**
   * Scalars, and objects and arrays nested up to {@code depth} levels, whose keys and strings are
   * often one of {@code words}.
   */
  static Arbitrary<JsonNode> json(int depth, List<String> words) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.of(words).map(NODES::textNode),
            Arbitraries.of("", " ", "x".repeat(10_000)).map(NODES::textNode),
            Arbitraries.strings().ofMaxLength(10).map(NODES::textNode),
            Arbitraries.integers().map(NODES::numberNode),
            Arbitraries.bigIntegers()
                .between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                .map(NODES::numberNode),
            Arbitraries.doubles().map(NODES::numberNode),
            Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> inner = Arbitraries.lazy(() -> json(depth - 1, words));
    Arbitrary<String> keys =
        Arbitraries.oneOf(Arbitraries.of(words), Arbitraries.strings().ofMaxLength(5));
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(keys, inner)
            .ofMaxSize(2)
            .map(
                fields -> {
                  ObjectNode node = NODES.objectNode();
                  fields.forEach(node::set);
                  return node;
                });
    Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(3).map(JsonArbitraries::array);
    return Arbitraries.frequencyOf(Tuple.of(3, scalars), Tuple.of(4, objects), Tuple.of(1, arrays));
  }
}
