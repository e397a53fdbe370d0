package dev.agentbrain.publish;

import java.util.List;
import java.util.Map;

/** What text extraction made of a file's bytes. */
public sealed interface Extraction {

  /**
   * Text to publish.
   *
   * @param text the extracted text
   * @param metadata what the extractor learned about the document (e.g. {@code title}, {@code
   *     pages}), published with it
   * @param warnings what was repaired on the way (e.g. invalid UTF-8), reported to the user
   */
  record Text(String text, Map<String, String> metadata, List<String> warnings)
      implements Extraction {
    public Text {
      metadata = Map.copyOf(metadata);
      warnings = List.copyOf(warnings);
    }
  }

  /** Not a document (binary, empty): skipped and reported, never an error. */
  record Skipped(String reason) implements Extraction {}

  /** A document that cannot be published as it is (too large, unreadable PDF): a failure. */
  record Rejected(String reason) implements Extraction {}
}
