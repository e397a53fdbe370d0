package dev.agentbrain.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Filter.Field;
import dev.agentbrain.storage.PathGlob;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON filter language of {@code /query} and {@code /query/count}, mapped onto {@link Filter}.
 *
 * <p>Shorthands (Agent Brain's names), each a list of accepted values, combined with AND: {@code
 * source_types}, {@code languages}, {@code document_ids}, {@code file_paths} (globs over the
 * source), and {@code metadata} ({@code {"key": "value"}} or {@code {"key": ["a", "b"]}}). The
 * general form, {@code filter}, is one expression:
 *
 * <pre>
 * {"field": F, "eq": "v"}        {"field": F, "in": ["v", "w"]}
 * {"and": [expr, ...]}           {"or": [expr, ...]}
 * {"field": "source", "glob": "docs/**&#47;*.md"}   (see {@link PathGlob})
 * F = source | source_type | language | document_id | metadata.KEY
 * </pre>
 *
 * Values are compared as exact strings (numbers and booleans as their JSON text). Expressions nest
 * at most {@value #MAX_DEPTH} deep and hold at most {@value #MAX_VALUES} values in all, so a
 * request cannot make a backend build an unbounded query. Every value is bound as a parameter by
 * the adapters, never spliced into query text.
 */
final class FilterLanguage {

  static final int MAX_DEPTH = 8;
  static final int MAX_VALUES = 256;
  static final int MAX_VALUE_CHARS = 1024;

  private int values;

  private FilterLanguage() {}

  /**
   * The filter a request's shorthands and expression describe together ({@link Filter#ALL} when
   * none).
   */
  static Filter parse(
      List<String> sourceTypes,
      List<String> languages,
      List<String> documentIds,
      List<String> filePaths,
      Map<String, JsonNode> metadata,
      JsonNode expression) {
    FilterLanguage language = new FilterLanguage();
    List<Filter> all = new ArrayList<>();
    language.in(all, "source_types", new Field.SourceType(), sourceTypes);
    language.in(all, "languages", new Field.Language(), languages);
    language.in(all, "document_ids", new Field.DocumentId(), documentIds);
    if (filePaths != null && !filePaths.isEmpty()) {
      all.add(language.globs(filePaths));
    }
    if (metadata != null) {
      for (Map.Entry<String, JsonNode> entry : metadata.entrySet()) {
        all.add(language.comparison(metadataField(entry.getKey()), entry.getValue(), "metadata"));
      }
    }
    if (expression != null && !expression.isNull()) {
      all.add(language.expression(expression, 1));
    }
    return switch (all.size()) {
      case 0 -> Filter.ALL;
      case 1 -> all.get(0);
      default -> new Filter.And(all);
    };
  }

  private void in(List<Filter> into, String name, Field field, List<String> accepted) {
    if (accepted == null || accepted.isEmpty()) {
      return;
    }
    into.add(new Filter.In(field, accepted.stream().map(v -> value(v, name)).toList()));
  }

  /** Any of the globs matches the chunk's source. */
  private Filter globs(List<String> patterns) {
    List<Filter> any = new ArrayList<>();
    for (String pattern : patterns) {
      try {
        any.add(new Filter.SourceGlob(new PathGlob(value(pattern, "file_paths"))));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("file_paths: " + e.getMessage());
      }
    }
    return any.size() == 1 ? any.get(0) : new Filter.Or(any);
  }

  private Filter expression(JsonNode node, int depth) {
    if (depth > MAX_DEPTH) {
      throw new InvalidRequestException("filter nests deeper than " + MAX_DEPTH + " levels");
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("a filter expression must be a JSON object");
    }
    if (node.size() == 1 && (node.has("and") || node.has("or"))) {
      boolean and = node.has("and");
      JsonNode list = node.get(and ? "and" : "or");
      if (!list.isArray() || list.isEmpty()) {
        throw new InvalidRequestException(
            "'" + (and ? "and" : "or") + "' needs a non-empty list of filter expressions");
      }
      List<Filter> parts = new ArrayList<>();
      list.forEach(part -> parts.add(expression(part, depth + 1)));
      return and ? new Filter.And(parts) : new Filter.Or(parts);
    }
    JsonNode field = node.get("field");
    if (node.size() == 2 && node.has("glob") && field != null && "source".equals(field.asText())) {
      JsonNode glob = node.get("glob");
      if (!glob.isTextual()) {
        throw new InvalidRequestException("'glob' needs one path pattern, e.g. \"docs/**/*.md\"");
      }
      return globs(List.of(glob.asText()));
    }
    boolean eq = node.has("eq");
    boolean in = node.has("in");
    if (field == null || !field.isTextual() || node.size() != 2 || eq == in) {
      throw new InvalidRequestException(
          "a filter expression is {\"and\": [...]}, {\"or\": [...]}, {\"field\": F, \"eq\": V},"
              + " {\"field\": F, \"in\": [V, ...]} or {\"field\": \"source\", \"glob\": P}");
    }
    if (in && !node.get("in").isArray()) {
      throw new InvalidRequestException("'in' needs a list of values");
    }
    return comparison(field(field.asText()), node.get(eq ? "eq" : "in"), field.asText());
  }

  private Filter comparison(Field field, JsonNode accepted, String name) {
    List<String> list = new ArrayList<>();
    if (accepted.isArray()) {
      Iterator<JsonNode> each = accepted.elements();
      each.forEachRemaining(v -> list.add(scalar(v, name)));
    } else {
      list.add(scalar(accepted, name));
    }
    if (list.isEmpty()) {
      throw new InvalidRequestException("the filter on '" + name + "' lists no values");
    }
    return new Filter.In(field, list);
  }

  private String scalar(JsonNode node, String name) {
    if (!node.isValueNode() || node.isNull()) {
      throw new InvalidRequestException(
          "values of '" + name + "' must be strings, numbers or booleans");
    }
    return value(node.asText(), name);
  }

  private String value(String value, String name) {
    if (value == null) {
      throw new InvalidRequestException("values of '" + name + "' must not be null");
    }
    if (value.length() > MAX_VALUE_CHARS) {
      throw new InvalidRequestException(
          "a value of '" + name + "' is longer than " + MAX_VALUE_CHARS + " characters");
    }
    if (++values > MAX_VALUES) {
      throw new InvalidRequestException("a filter may hold at most " + MAX_VALUES + " values");
    }
    return value;
  }

  private static Field field(String name) {
    return switch (name) {
      case "source" -> new Field.Source();
      case "source_type" -> new Field.SourceType();
      case "language" -> new Field.Language();
      case "document_id" -> new Field.DocumentId();
      default -> {
        if (name.startsWith("metadata.")) {
          yield metadataField(name.substring("metadata.".length()));
        }
        throw new InvalidRequestException(
            "unknown filter field '"
                + name
                + "': use source, source_type, language, document_id or metadata.KEY");
      }
    };
  }

  private static Field metadataField(String key) {
    if (key.isEmpty() || key.length() > 256) {
      throw new InvalidRequestException("a metadata key must be 1 to 256 characters");
    }
    return new Field.Metadata(key);
  }
}
