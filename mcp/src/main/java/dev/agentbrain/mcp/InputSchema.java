package dev.agentbrain.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON schema of a tool's arguments (an object of named properties), written the way an agent
 * reads it: every property with a description, its range and its default.
 */
final class InputSchema {

  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final List<String> required = new ArrayList<>();

  static InputSchema object() {
    return new InputSchema();
  }

  InputSchema string(String name, String description) {
    return property(name, Map.of("type", "string", "description", description));
  }

  InputSchema requiredString(String name, String description) {
    required.add(name);
    return string(name, description);
  }

  InputSchema choice(String name, String description, List<String> values, String byDefault) {
    return property(
        name,
        Map.of("type", "string", "enum", values, "default", byDefault, "description", description));
  }

  InputSchema integer(String name, String description, int min, int max, int byDefault) {
    return ranged(name, "integer", description, min, max, byDefault);
  }

  InputSchema number(String name, String description, double min, double max, double byDefault) {
    return ranged(name, "number", description, min, max, byDefault);
  }

  /** A number whose absence means what the description says, not one value. */
  InputSchema number(String name, String description, double min, double max) {
    return property(
        name, Map.of("type", "number", "minimum", min, "maximum", max, "description", description));
  }

  private InputSchema ranged(
      String name, String type, String description, Number min, Number max, Number byDefault) {
    return property(
        name,
        Map.of(
            "type", type,
            "minimum", min,
            "maximum", max,
            "default", byDefault,
            "description", description));
  }

  InputSchema bool(String name, String description) {
    return property(name, Map.of("type", "boolean", "default", false, "description", description));
  }

  InputSchema strings(String name, String description) {
    return array(name, description, Map.of("type", "string"));
  }

  /** A list whose items each have the given schema. */
  InputSchema array(String name, String description, Map<String, Object> items) {
    return property(name, Map.of("type", "array", "items", items, "description", description));
  }

  /** A property of any JSON object shape (a filter expression, metadata values). */
  InputSchema object(String name, String description) {
    return property(name, Map.of("type", "object", "description", description));
  }

  private InputSchema property(String name, Map<String, Object> schema) {
    properties.put(name, schema);
    return this;
  }

  /** The names of the properties, for refusing unknown arguments. */
  Set<String> names() {
    return properties.keySet();
  }

  /** The schema as the MCP {@code inputSchema} of a tool. */
  Map<String, Object> toMap() {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", Map.copyOf(properties));
    if (!required.isEmpty()) {
      schema.put("required", List.copyOf(required));
    }
    schema.put("additionalProperties", false);
    return schema;
  }
}
