package dev.agentbrain.chunking;

import java.util.Locale;
import java.util.Map;

/** What a document is written in, which decides where the {@link Chunker} prefers to cut. */
public enum Language {
  /** Cut under headings, keeping the heading path; fenced code blocks stay whole. */
  MARKDOWN,
  /** Cut at classes and methods. */
  JAVA,
  /** Cut at classes, methods and functions. */
  PYTHON,
  /** Cut at classes, methods, functions and types. */
  TYPESCRIPT,
  /** Cut at classes, methods and functions. */
  JAVASCRIPT,
  /** Cut at functions, methods and types. */
  GO,
  /** Anything else: cut at paragraphs, then sentences, then words. */
  TEXT;

  private static final Map<String, Language> NAMES =
      Map.ofEntries(
          Map.entry("markdown", MARKDOWN),
          Map.entry("md", MARKDOWN),
          Map.entry("mdx", MARKDOWN),
          Map.entry("text/markdown", MARKDOWN),
          Map.entry("text/x-markdown", MARKDOWN),
          Map.entry("java", JAVA),
          Map.entry("text/x-java", JAVA),
          Map.entry("text/x-java-source", JAVA),
          Map.entry("python", PYTHON),
          Map.entry("py", PYTHON),
          Map.entry("text/x-python", PYTHON),
          Map.entry("typescript", TYPESCRIPT),
          Map.entry("ts", TYPESCRIPT),
          Map.entry("tsx", TYPESCRIPT),
          Map.entry("mts", TYPESCRIPT),
          Map.entry("cts", TYPESCRIPT),
          Map.entry("application/typescript", TYPESCRIPT),
          Map.entry("javascript", JAVASCRIPT),
          Map.entry("js", JAVASCRIPT),
          Map.entry("jsx", JAVASCRIPT),
          Map.entry("mjs", JAVASCRIPT),
          Map.entry("cjs", JAVASCRIPT),
          Map.entry("text/javascript", JAVASCRIPT),
          Map.entry("application/javascript", JAVASCRIPT),
          Map.entry("go", GO),
          Map.entry("golang", GO),
          Map.entry("text/x-go", GO));

  /**
   * The language a name, file extension or media type stands for, e.g. {@code markdown}, {@code
   * .py}, {@code text/markdown; charset=utf-8}; {@link #TEXT} for anything not listed.
   */
  public static Language of(String name) {
    String key = name.strip().toLowerCase(Locale.ROOT);
    int parameters = key.indexOf(';');
    if (parameters >= 0) {
      key = key.substring(0, parameters).strip();
    }
    if (key.startsWith(".")) {
      key = key.substring(1);
    }
    return NAMES.getOrDefault(key, TEXT);
  }
}
