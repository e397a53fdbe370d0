package dev.agentbrain.publish;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a file is, decided by its name: source type ({@code doc} or {@code code}), language and
 * media type.
 *
 * @param sourceType {@code doc} or {@code code}
 * @param language e.g. {@code markdown}, {@code java}
 * @param contentType media type of the file
 */
public record FileType(String sourceType, String language, String contentType) {

  private static final Map<String, FileType> BY_EXTENSION =
      Map.ofEntries(
          doc("md", "markdown", "text/markdown"),
          doc("markdown", "markdown", "text/markdown"),
          doc("adoc", "asciidoc", "text/asciidoc"),
          doc("asciidoc", "asciidoc", "text/asciidoc"),
          doc("rst", "restructuredtext", "text/x-rst"),
          doc("txt", "text", "text/plain"),
          code("java", "java"),
          code("kt", "kotlin"),
          code("kts", "kotlin"),
          code("py", "python"),
          code("ts", "typescript"),
          code("tsx", "typescript"),
          code("js", "javascript"),
          code("jsx", "javascript"),
          code("mjs", "javascript"),
          code("go", "go"),
          code("rs", "rust"),
          code("c", "c"),
          code("h", "c"),
          code("cc", "cpp"),
          code("cpp", "cpp"),
          code("hpp", "cpp"),
          code("cs", "csharp"),
          code("sh", "shell"),
          code("bash", "shell"),
          code("sql", "sql"),
          code("yaml", "yaml"),
          code("yml", "yaml"),
          code("json", "json"),
          code("toml", "toml"));

  /** The type of a file by its name, or empty when it is not a kind we index. */
  public static Optional<FileType> of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }

  private static Map.Entry<String, FileType> doc(String ext, String language, String contentType) {
    return Map.entry(ext, new FileType("doc", language, contentType));
  }

  private static Map.Entry<String, FileType> code(String ext, String language) {
    return Map.entry(ext, new FileType("code", language, "text/x-" + language));
  }
}
