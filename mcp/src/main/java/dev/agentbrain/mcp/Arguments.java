package dev.agentbrain.mcp;

import dev.agentbrain.query.InvalidRequestException;
import java.util.List;
import java.util.Map;

/** Typed reads of a tool's arguments, refused in the API's words when missing or mistyped. */
final class Arguments {

  private Arguments() {}

  /** A required text argument. */
  static String string(Map<String, Object> arguments, String name) {
    String value = optionalString(arguments, name);
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException("field '" + name + "' is required");
    }
    return value;
  }

  /** A text argument, {@code null} when absent. */
  static String optionalString(Map<String, Object> arguments, String name) {
    Object value = arguments.get(name);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrongType(name);
  }

  /** A list of texts, empty when absent. */
  static List<String> strings(Map<String, Object> arguments, String name) {
    Object value = arguments.get(name);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw wrongType(name);
  }

  static boolean bool(Map<String, Object> arguments, String name) {
    Object value = arguments.get(name);
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    throw wrongType(name);
  }

  /** A whole number from {@code min} to {@code max}, {@code byDefault} when absent. */
  static int integer(Map<String, Object> arguments, String name, int byDefault, int min, int max) {
    Object value = arguments.get(name);
    if (value == null) {
      return byDefault;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw wrongType(name);
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw new InvalidRequestException(name + " must be between " + min + " and " + max);
    }
    return (int) number;
  }

  private static InvalidRequestException wrongType(String name) {
    return new InvalidRequestException("field '" + name + "' has the wrong type");
  }
}
