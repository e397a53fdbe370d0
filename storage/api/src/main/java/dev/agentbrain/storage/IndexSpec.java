package dev.agentbrain.storage;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a backend needs to know to create or verify one physical index (one version of a logical
 * index).
 *
 * @param physicalName backend-safe name, e.g. {@code docs_v1}: 3 to 48 lower case letters, digits
 *     and underscores, starting with a letter and ending with a letter or digit (the rules of both
 *     PostgreSQL identifiers and Chroma collection names)
 * @param dimensions length of every vector, 1 to 4000
 * @param model embedding model that made the vectors (stored with the index and checked on startup)
 * @param textSearchLanguage PostgreSQL text-search configuration used for keyword search, e.g.
 *     {@code english} or {@code simple}: lower case letters, digits and underscores
 */
public record IndexSpec(
    String physicalName, int dimensions, String model, String textSearchLanguage) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{1,46}[a-z0-9]");
  private static final Pattern TEXT_SEARCH_CONFIG = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  public IndexSpec {
    requireValidName(physicalName);
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("the embedding model of an index must not be blank");
    }
    if (textSearchLanguage == null || !TEXT_SEARCH_CONFIG.matcher(textSearchLanguage).matches()) {
      throw new IllegalArgumentException(
          "text-search language '"
              + textSearchLanguage
              + "' must match "
              + TEXT_SEARCH_CONFIG.pattern());
    }
    if (dimensions < 1 || dimensions > 4000) {
      throw new IllegalArgumentException("dimensions must be 1..4000, not " + dimensions);
    }
  }

  /**
   * Returns {@code physicalName} when it is a valid index name. Backends call this on every name
   * they receive, because the name becomes part of a table or collection name.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static String requireValidName(String physicalName) {
    if (physicalName == null || !NAME.matcher(physicalName).matches()) {
      throw new IllegalArgumentException(
          "index name '" + physicalName + "' must match " + NAME.pattern());
    }
    return physicalName;
  }

  /**
   * Checks that an index a backend already holds, described by {@code stored}, was built for this
   * spec.
   *
   * @param backend the backend's name for the message, e.g. {@code PostgreSQL}
   * @throws ContractMismatchException naming the first property that differs, with both values
   */
  public void requireMatches(IndexSpec stored, String backend) {
    if (stored.dimensions != dimensions) {
      throw ContractMismatchException.ofIndex(
          physicalName, backend, "dimensions", stored.dimensions, dimensions);
    }
    if (!stored.model.equals(model)) {
      throw ContractMismatchException.ofIndex(physicalName, backend, "model", stored.model, model);
    }
    if (!stored.textSearchLanguage.equals(textSearchLanguage)) {
      throw ContractMismatchException.ofIndex(
          physicalName,
          backend,
          "text-search language",
          stored.textSearchLanguage,
          textSearchLanguage);
    }
  }

  /**
   * Checks that a vector can be stored in or searched against this index: it has {@link
   * #dimensions()} finite values and is not all zeros (cosine similarity is undefined for it).
   *
   * @param what names the vector in the message, e.g. {@code "chunk c1 of document d1"}
   * @throws ContractMismatchException when its length differs, naming both lengths
   * @throws StorageException when it holds a non-finite value or only zeros
   */
  public void requireUsable(float[] vector, String what) {
    Objects.requireNonNull(vector, "vector");
    if (vector.length != dimensions) {
      throw new ContractMismatchException(
          "%s has %d dimensions, but index %s expects %d (model %s)"
              .formatted(what, vector.length, physicalName, dimensions, model));
    }
    boolean allZero = true;
    for (float value : vector) {
      if (!Float.isFinite(value)) {
        throw new StorageException(
            what + " has a vector with a non-finite value; the embedding step produced it");
      }
      allZero &= value == 0.0f;
    }
    if (allZero) {
      throw new StorageException(
          what + " has a vector of zeros, which has no direction to compare by cosine");
    }
  }

  /**
   * Checks the vector of every upsert in {@code writes} with {@link #requireUsable}, so that a
   * backend refuses a bad batch before it writes any of it.
   */
  public void requireWritable(List<ChunkWrite> writes) {
    for (ChunkWrite write : writes) {
      if (write instanceof ChunkWrite.Upsert(ChunkRecord chunk, int chunkCount)) {
        requireUsable(
            chunk.embedding(), "chunk " + chunk.chunkId() + " of document " + chunk.documentId());
      }
    }
  }
}
