package dev.agentbrain.config;

import java.net.URI;
import java.util.function.Function;

/** Parsers (with validation) shared by the settings. */
final class Parsers {

  private Parsers() {}

  static Function<String, Integer> port() {
    return intRange(1, 65535);
  }

  static Function<String, Integer> intRange(int min, int max) {
    return text -> {
      int value;
      try {
        value = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a whole number");
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException("expected " + min + ".." + max);
      }
      return value;
    };
  }

  static Function<String, URI> httpUri() {
    return text -> {
      URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("expected an http:// or https:// URL");
      }
      return uri;
    };
  }

  static Function<String, String> nonBlank() {
    return text -> {
      if (text.isBlank()) {
        throw new IllegalArgumentException("must not be empty");
      }
      return text;
    };
  }

  static Function<String, String> any() {
    return text -> text;
  }

  static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
    return text -> {
      for (E value : type.getEnumConstants()) {
        if (value.name().equalsIgnoreCase(text)) {
          return value;
        }
      }
      throw new IllegalArgumentException(
          "expected one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase());
    };
  }
}
