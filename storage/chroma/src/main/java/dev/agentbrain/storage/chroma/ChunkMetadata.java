package dev.agentbrain.storage.chroma;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.Filter.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a chunk's fields live in a Chroma record's metadata, which holds only scalars. The well-known
 * fields keep their names ({@code document_version} and {@code position} as integers, so they
 * compare as numbers); each key of the chunk's own metadata is stored with the prefix {@value
 * #PREFIX}, so it can never clash with a well-known field or a filter operator.
 *
 * <p>A record's id is the chunk id and the document version ({@link #recordId}), so the chunks of a
 * new version are written beside the old ones, which readers keep seeing until the new version is
 * whole (see {@link VersionMarkers}); the chunk id itself is kept in {@value #CHUNK_ID}. Records
 * written before that have the chunk id as their id and no {@value #CHUNK_COUNT}.
 */
final class ChunkMetadata {

  static final String PREFIX = "m.";
  static final String DOCUMENT_ID = "document_id";
  static final String DOCUMENT_VERSION = "document_version";
  static final String CHUNK_ID = "chunk_id";
  static final String CHUNK_COUNT = "chunk_count";

  private ChunkMetadata() {}

  /** The id of a chunk's record: one per chunk and version. */
  static String recordId(ChunkRecord chunk) {
    return chunk.chunkId() + "@" + chunk.documentVersion();
  }

  /**
   * The metadata of a chunk's record.
   *
   * @param chunkCount how many chunks the chunk's version has, 0 when not known
   */
  static Map<String, Object> of(ChunkRecord chunk, int chunkCount) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put(CHUNK_ID, chunk.chunkId());
    values.put(CHUNK_COUNT, chunkCount);
    values.put(DOCUMENT_ID, chunk.documentId());
    values.put(DOCUMENT_VERSION, chunk.documentVersion());
    values.put("position", chunk.position());
    values.put("source", chunk.source());
    values.put("source_type", chunk.sourceType());
    values.put("language", chunk.language());
    values.put("heading_path", chunk.headingPath());
    values.put("content_hash", chunk.contentHash());
    chunk.metadata().forEach((key, value) -> values.put(PREFIX + key, value));
    return values;
  }

  static ChunkRecord chunk(String id, String text, Map<String, Object> values, float[] embedding) {
    Map<String, String> metadata = new HashMap<>();
    values.forEach(
        (key, value) -> {
          if (key.startsWith(PREFIX)) {
            metadata.put(key.substring(PREFIX.length()), String.valueOf(value));
          }
        });
    return ChunkRecord.builder()
        .chunkId(chunkId(id, values))
        .documentId(text(values, DOCUMENT_ID))
        .documentVersion(number(values, DOCUMENT_VERSION))
        .position(Math.toIntExact(number(values, "position")))
        .text(text)
        .source(text(values, "source"))
        .sourceType(text(values, "source_type"))
        .language(text(values, "language"))
        .headingPath(text(values, "heading_path"))
        .contentHash(text(values, "content_hash"))
        .metadata(metadata)
        .embedding(embedding)
        .build();
  }

  /** True for a record written before records carried their version's chunk count. */
  static boolean beforeMarkers(Map<String, Object> values) {
    return !values.containsKey(CHUNK_COUNT);
  }

  /** How many chunks the record's version has; 0 when not known. */
  static long chunkCount(Map<String, Object> values) {
    return number(values, CHUNK_COUNT);
  }

  /** The chunk id of the record with this id and metadata. */
  static String chunkId(String id, Map<String, Object> values) {
    return values.get(CHUNK_ID) instanceof String chunkId ? chunkId : id;
  }

  static String documentId(Map<String, Object> values) {
    return text(values, DOCUMENT_ID);
  }

  static long documentVersion(Map<String, Object> values) {
    return number(values, DOCUMENT_VERSION);
  }

  /** The metadata key a filter field compares. */
  static String key(Field field) {
    return switch (field) {
      case Field.DocumentId id -> DOCUMENT_ID;
      case Field.Source source -> "source";
      case Field.SourceType type -> "source_type";
      case Field.Language language -> "language";
      case Field.Metadata(String key) -> PREFIX + key;
    };
  }

  private static String text(Map<String, Object> values, String key) {
    return values.get(key) instanceof String value ? value : "";
  }

  private static long number(Map<String, Object> values, String key) {
    return values.get(key) instanceof Number value ? value.longValue() : 0;
  }
}
