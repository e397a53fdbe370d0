package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.agentbrain.storage.ChunkRecord;
import java.util.Map;

/**
 * One chunk as a client sees it ({@code GET /query/chunk/{id}}), without its vector.
 *
 * @param index the logical index it was read from
 * @param backend the backend that answered
 */
public record ChunkView(
    @JsonProperty("chunk_id") String chunkId,
    @JsonProperty("document_id") String documentId,
    @JsonProperty("document_version") long documentVersion,
    @JsonProperty("position") int position,
    @JsonProperty("text") String text,
    @JsonProperty("source") String source,
    @JsonProperty("source_type") String sourceType,
    @JsonProperty("language") String language,
    @JsonProperty("heading_path") String headingPath,
    @JsonProperty("content_hash") String contentHash,
    @JsonProperty("metadata") Map<String, String> metadata,
    @JsonProperty("index") String index,
    @JsonProperty("backend") String backend) {

  /** The view of a stored chunk. */
  public static ChunkView of(ChunkRecord chunk, String index, String backend) {
    return new ChunkView(
        chunk.chunkId(),
        chunk.documentId(),
        chunk.documentVersion(),
        chunk.position(),
        chunk.text(),
        chunk.source(),
        chunk.sourceType(),
        chunk.language(),
        chunk.headingPath(),
        chunk.contentHash(),
        chunk.metadata(),
        index,
        backend);
  }
}
