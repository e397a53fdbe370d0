package dev.agentbrain.storage;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One embedded chunk as a backend stores it. Build one with {@link #builder()}, which names every
 * value it sets; {@link #toBuilder()} copies one to change a few values.
 *
 * <p>Two records are equal when every value is, the vector compared element by element; {@link
 * #toString()} shows the vector's length, not its values.
 *
 * @param chunkId stable id: the same document, version and position always give the same id
 * @param documentId id of the document the chunk was cut from
 * @param documentVersion version of that document; a write of a newer version replaces every chunk
 *     of an older one
 * @param position zero-based position of the chunk in its document
 * @param text the chunk's text, exactly as embedded
 * @param source where the document came from (normalised path or URI)
 * @param sourceType {@code doc} or {@code code} (free text, kept lower case)
 * @param language detected language of the content (e.g. {@code markdown}, {@code java})
 * @param headingPath heading or symbol path that leads to the chunk ({@code ""} when none)
 * @param contentHash SHA-256 (hex) of {@code text}
 * @param metadata free-form string metadata, never {@code null}
 * @param embedding the vector; its length is the index's dimensions
 */
public record ChunkRecord(
    String chunkId,
    String documentId,
    long documentVersion,
    int position,
    String text,
    String source,
    String sourceType,
    String language,
    String headingPath,
    String contentHash,
    Map<String, String> metadata,
    float[] embedding) {

  public ChunkRecord {
    Objects.requireNonNull(chunkId, "chunkId");
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(embedding, "embedding");
    source = Objects.requireNonNullElse(source, "");
    sourceType = Objects.requireNonNullElse(sourceType, "");
    language = Objects.requireNonNullElse(language, "");
    headingPath = Objects.requireNonNullElse(headingPath, "");
    contentHash = Objects.requireNonNullElse(contentHash, "");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * A builder with nothing set. {@code chunkId}, {@code documentId}, {@code text} and {@code
   * embedding} must be set; the version and position start at 0, the other texts empty and the
   * metadata empty.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that holds this record's values. */
  public Builder toBuilder() {
    return new Builder()
        .chunkId(chunkId)
        .documentId(documentId)
        .documentVersion(documentVersion)
        .position(position)
        .text(text)
        .source(source)
        .sourceType(sourceType)
        .language(language)
        .headingPath(headingPath)
        .contentHash(contentHash)
        .metadata(metadata)
        .embedding(embedding);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChunkRecord that
        && Objects.equals(chunkId, that.chunkId)
        && Objects.equals(documentId, that.documentId)
        && documentVersion == that.documentVersion
        && position == that.position
        && Objects.equals(text, that.text)
        && Objects.equals(source, that.source)
        && Objects.equals(sourceType, that.sourceType)
        && Objects.equals(language, that.language)
        && Objects.equals(headingPath, that.headingPath)
        && Objects.equals(contentHash, that.contentHash)
        && Objects.equals(metadata, that.metadata)
        && Arrays.equals(embedding, that.embedding);
  }

  /** From the identity, version, text and vector: records that are equal hash alike. */
  @Override
  public int hashCode() {
    return 31 * Objects.hash(chunkId, documentId, documentVersion, position, text)
        + Arrays.hashCode(embedding);
  }

  @Override
  public String toString() {
    return "ChunkRecord[chunkId=%s, documentId=%s, documentVersion=%d, position=%d, text=%s,"
            .formatted(chunkId, documentId, documentVersion, position, text)
        + " source=%s, sourceType=%s, language=%s, headingPath=%s, contentHash=%s,"
            .formatted(source, sourceType, language, headingPath, contentHash)
        + " metadata=%s, embedding=float[%d]]".formatted(metadata, embedding.length);
  }

  /** Names each value of a {@link ChunkRecord}; not thread-safe. */
  public static final class Builder {
    private String chunkId;
    private String documentId;
    private long documentVersion;
    private int position;
    private String text;
    private String source = "";
    private String sourceType = "";
    private String language = "";
    private String headingPath = "";
    private String contentHash = "";
    private Map<String, String> metadata = Map.of();
    private float[] embedding;

    private Builder() {}

    /** The chunk's stable id. */
    public Builder chunkId(String chunkId) {
      this.chunkId = chunkId;
      return this;
    }

    /** The document the chunk was cut from. */
    public Builder documentId(String documentId) {
      this.documentId = documentId;
      return this;
    }

    /** The document's version (default 0). */
    public Builder documentVersion(long documentVersion) {
      this.documentVersion = documentVersion;
      return this;
    }

    /** Zero-based position in the document (default 0). */
    public Builder position(int position) {
      this.position = position;
      return this;
    }

    /** The text, exactly as embedded. */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** Where the document came from (default empty). */
    public Builder source(String source) {
      this.source = source;
      return this;
    }

    /** {@code doc} or {@code code} (default empty). */
    public Builder sourceType(String sourceType) {
      this.sourceType = sourceType;
      return this;
    }

    /** Language of the content (default empty). */
    public Builder language(String language) {
      this.language = language;
      return this;
    }

    /** Heading or symbol path to the chunk (default empty). */
    public Builder headingPath(String headingPath) {
      this.headingPath = headingPath;
      return this;
    }

    /** SHA-256 (hex) of the text (default empty). */
    public Builder contentHash(String contentHash) {
      this.contentHash = contentHash;
      return this;
    }

    /** Free-form metadata (default empty); copied when the record is built. */
    public Builder metadata(Map<String, String> metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The vector; kept as given, not copied. */
    public Builder embedding(float[] embedding) {
      this.embedding = embedding;
      return this;
    }

    /**
     * The record.
     *
     * @throws NullPointerException naming the first of chunkId, documentId, text and embedding that
     *     was not set
     */
    public ChunkRecord build() {
      return new ChunkRecord(
          chunkId,
          documentId,
          documentVersion,
          position,
          text,
          source,
          sourceType,
          language,
          headingPath,
          contentHash,
          metadata,
          embedding);
    }
  }
}
