package dev.agentbrain.storage.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pgvector.PGhalfvec;
import com.pgvector.PGvector;
import dev.agentbrain.storage.ChunkRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * How a chunk maps to a row of its index's table ({@link ChunkTable}) and back: the columns a read
 * selects, a chunk from the current row, and a chunk's values bound as statement parameters. The
 * chunk's own metadata is a {@code jsonb} column, read as text.
 */
final class ChunkRows {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {};

  /** Every column of a chunk but its embedding, for a {@code SELECT} list. */
  static final String COLUMNS =
      """
      chunk_id, document_id, document_version, position, text, source, source_type, language,
      heading_path, content_hash, metadata::text AS metadata""";

  private ChunkRows() {}

  /** The chunk of the current row, with this embedding (the columns of {@link #COLUMNS}). */
  static ChunkRecord chunk(ResultSet rows, float[] embedding) throws SQLException {
    return ChunkRecord.builder()
        .chunkId(rows.getString("chunk_id"))
        .documentId(rows.getString("document_id"))
        .documentVersion(rows.getLong("document_version"))
        .position(rows.getInt("position"))
        .text(rows.getString("text"))
        .source(rows.getString("source"))
        .sourceType(rows.getString("source_type"))
        .language(rows.getString("language"))
        .headingPath(rows.getString("heading_path"))
        .contentHash(rows.getString("content_hash"))
        .metadata(metadata(rows.getString("metadata")))
        .embedding(embedding)
        .build();
  }

  /**
   * A query of whole chunks, embeddings included: the rows of the table that meet the condition.
   */
  static String selectWhere(String tableName, String condition) {
    return "SELECT %s, embedding FROM %s WHERE %s".formatted(COLUMNS, tableName, condition);
  }

  /** The chunk of the current row of a {@link #selectWhere} query, with its embedding. */
  static ChunkRecord withEmbedding(ResultSet rows) throws SQLException {
    return chunk(rows, vector(rows.getObject("embedding")));
  }

  /** The vector of an {@code embedding} column value, vector or halfvec. */
  private static float[] vector(Object value) {
    return switch (value) {
      case PGvector vector -> vector.toArray();
      case PGhalfvec vector -> vector.toArray();
      default ->
          throw new IllegalStateException("unexpected embedding column value " + value.getClass());
    };
  }

  private static String json(Map<String, String> metadata) {
    try {
      return JSON.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  private static Map<String, String> metadata(String json) throws SQLException {
    try {
      return JSON.readValue(json, METADATA);
    } catch (JsonProcessingException e) {
      throw new SQLException("metadata is not a JSON object of strings", "22023", e);
    }
  }

  /** Binds a chunk's twelve columns from {@code first} on; returns the next parameter index. */
  static int bind(PreparedStatement statement, ChunkTable table, ChunkRecord chunk, int first)
      throws SQLException {
    int i = first;
    statement.setString(i++, chunk.chunkId());
    statement.setString(i++, chunk.documentId());
    statement.setLong(i++, chunk.documentVersion());
    statement.setInt(i++, chunk.position());
    statement.setString(i++, chunk.text());
    statement.setString(i++, chunk.source());
    statement.setString(i++, chunk.sourceType());
    statement.setString(i++, chunk.language());
    statement.setString(i++, chunk.headingPath());
    statement.setString(i++, chunk.contentHash());
    statement.setString(i++, json(chunk.metadata()));
    statement.setObject(i++, table.parameter(chunk.embedding()));
    return i;
  }
}
