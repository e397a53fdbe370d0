package dev.agentbrain.storage;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a backend needs to know to create or verify one physical index (one version of a logical
 * index).
 *
 * @param physicalName backend-safe name, e.g. {@code docs_v1}: lower case letters, digits and
 *     underscores, starting with a letter, at most 48 characters
 * @param dimensions length of every vector, 1 to 4000
 * @param model embedding model that made the vectors (stored with the index and checked on startup)
 * @param textSearchLanguage PostgreSQL text-search configuration used for keyword search, e.g.
 *     {@code english} or {@code simple}
 */
public record IndexSpec(
    String physicalName, int dimensions, String model, String textSearchLanguage) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");

  public IndexSpec {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(textSearchLanguage, "textSearchLanguage");
    if (physicalName == null || !NAME.matcher(physicalName).matches()) {
      throw new IllegalArgumentException(
          "index name '" + physicalName + "' must match " + NAME.pattern());
    }
    if (dimensions < 1 || dimensions > 4000) {
      throw new IllegalArgumentException("dimensions must be 1..4000, not " + dimensions);
    }
  }
}
