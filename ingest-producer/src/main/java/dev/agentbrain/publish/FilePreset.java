package dev.agentbrain.publish;

import java.util.Optional;

/** Which files a folder publish takes, by type. */
public enum FilePreset {
  /** Markdown, AsciiDoc, reStructuredText, HTML, plain text and PDF. */
  DOCS,
  /**
   * Java, Kotlin, Python, TypeScript/JavaScript, Go, Rust, C/C++, C#, shell, SQL, YAML/JSON/TOML.
   */
  CODE,
  /** Documents, code, and any other file that is text (published as plain text). */
  ALL;

  /**
   * The type a file is published as under this preset, or empty when the preset does not take it.
   */
  public Optional<FileType> typeOf(String fileName) {
    Optional<FileType> known = FileType.of(fileName);
    return switch (this) {
      case DOCS -> known.filter(t -> t.sourceType().equals("doc"));
      case CODE -> known.filter(t -> t.sourceType().equals("code"));
      case ALL -> Optional.of(known.orElse(FileType.PLAIN_TEXT));
    };
  }
}
