package dev.agentbrain.publish;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a file is, decided by its name: source type ({@code doc} or {@code code}), language, media
 * type, and how its text is extracted.
 *
 * @param sourceType {@code doc} or {@code code}
 * @param language language of the extracted text, e.g. {@code markdown}, {@code java}; HTML is
 *     extracted to Markdown-style text (headings as {@code #}), so its language is {@code markdown}
 * @param contentType media type of the original file
 * @param format how the text is extracted from the file's bytes
 */
public record FileType(String sourceType, String language, String contentType, Format format) {

  /** How text is extracted from a file. */
  public enum Format {
    /** The file is text (UTF-8). */
    TEXT,
    /** HTML, rendered to text with jsoup. */
    HTML,
    /** PDF, text extracted with Apache PDFBox. */
    PDF
  }

  /** Any other text file: published only with the {@code all} preset. */
  public static final FileType PLAIN_TEXT = new FileType("doc", "text", "text/plain", Format.TEXT);

  private static final Map<String, FileType> BY_EXTENSION =
      Map.ofEntries(
          doc("md", "markdown", "text/markdown"),
          doc("markdown", "markdown", "text/markdown"),
          doc("mdx", "markdown", "text/markdown"),
          doc("adoc", "asciidoc", "text/asciidoc"),
          doc("asciidoc", "asciidoc", "text/asciidoc"),
          doc("rst", "restructuredtext", "text/x-rst"),
          doc("txt", "text", "text/plain"),
          Map.entry("html", new FileType("doc", "markdown", "text/html", Format.HTML)),
          Map.entry("htm", new FileType("doc", "markdown", "text/html", Format.HTML)),
          Map.entry("pdf", new FileType("doc", "text", "application/pdf", Format.PDF)),
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

  /** Every extension we know (lower case, without the dot), sorted, with its type. */
  public static SortedMap<String, FileType> byExtension() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(BY_EXTENSION));
  }

  /** The type of a file by its name, or empty when it is not a kind we know. */
  public static Optional<FileType> of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }

  private static Map.Entry<String, FileType> doc(String ext, String language, String contentType) {
    return Map.entry(ext, new FileType("doc", language, contentType, Format.TEXT));
  }

  private static Map.Entry<String, FileType> code(String ext, String language) {
    return Map.entry(ext, new FileType("code", language, "text/x-" + language, Format.TEXT));
  }
}
