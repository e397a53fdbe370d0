package dev.agentbrain.storage;

import java.util.Map;
import java.util.Objects;

/**
 * One embedded chunk as a backend stores it.
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
}
