package dev.agentbrain.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** A number of threads from 1 to 256, or {@code cores}: as many as this machine has. */
  static Function<String, Integer> threadsOrCores() {
    Function<String, Integer> threads = intRange(1, 256);
    return text ->
        text.equals("cores") ? Runtime.getRuntime().availableProcessors() : threads.apply(text);
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

  /** Absolute paths separated by {@code :}; empty for none. */
  static Function<String, List<Path>> absolutePaths() {
    return text -> {
      List<Path> paths = new ArrayList<>();
      for (String part : text.split(":")) {
        if (part.isBlank()) {
          continue;
        }
        Path path = Path.of(part.strip());
        if (!path.isAbsolute()) {
          throw new IllegalArgumentException("expected absolute paths separated by :, not " + part);
        }
        paths.add(path.normalize());
      }
      return List.copyOf(paths);
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

  /** An enum value, or {@code none} for no value. */
  static <E extends Enum<E>> Function<String, java.util.Optional<E>> noneOr(Class<E> type) {
    Function<String, E> value = oneOf(type);
    return text -> {
      if (text.equalsIgnoreCase("none")) {
        return java.util.Optional.empty();
      }
      try {
        return java.util.Optional.of(value.apply(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expected none or " + e.getMessage().substring(9));
      }
    };
  }

  /** A value, or {@code none} (or nothing) for no value. */
  static <T> Function<String, java.util.Optional<T>> noneOr(Function<String, T> value) {
    return text ->
        text.isEmpty() || text.equalsIgnoreCase("none")
            ? java.util.Optional.empty()
            : java.util.Optional.of(value.apply(text));
  }

  /** {@code true} or {@code false}, in any case. */
  static Function<String, Boolean> bool() {
    return text ->
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new IllegalArgumentException("expected true or false");
        };
  }

  /** A number from 0 to 1. */
  static Function<String, Double> fraction() {
    return text -> {
      double value;
      try {
        value = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a number from 0 to 1");
      }
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("expected a number from 0 to 1");
      }
      return value;
    };
  }
}
