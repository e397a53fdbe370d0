package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.WritePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The writes of {@link PostgresStore}: each call's {@link WritePlan} in one transaction. A version
 * that arrives whole goes straight into the chunks table; the chunks of a version that spans
 * several writes wait in the staging table until the last one arrives, then take the older
 * version's place in one statement, so readers see whole versions only. Deletes are recorded, so a
 * late older version cannot come back.
 */
final class ChunkTableWriter {

  private static final int BATCH_SIZE = 500;

  /**
   * The lines both upserts' {@code SET} lists share: the columns a new row overwrites whichever key
   * it met.
   */
  private static final String CONTENT_UPDATE =
      Stream.of(
              "text",
              "source",
              "source_type",
              "language",
              "heading_path",
              "content_hash",
              "metadata")
          .map(column -> column + " = EXCLUDED." + column + ",")
          .collect(Collectors.joining("\n  "));

  private final IndexCatalog catalog;
  private final Transactions transactions;

  ChunkTableWriter(IndexCatalog catalog) {
    this.catalog = catalog;
    this.transactions = catalog.transactions();
  }

  /** Applies the writes to the index in one transaction, holding the index's lock. */
  void write(String physicalName, List<ChunkWrite> writes) {
    ChunkTable table = catalog.table(physicalName);
    table.spec().requireWritable(writes);
    List<WritePlan.Step> steps = WritePlan.of(writes);
    if (steps.isEmpty()) {
      return;
    }
    transactions.inTransaction(
        "writing to index " + physicalName,
        physicalName,
        connection -> {
          // every write updates the index's one stats row; queueing here, before any row is
          // locked, keeps concurrent writers from deadlocking on chunk rows and that row
          IndexCatalog.lockIndex(connection, physicalName);
          for (WritePlan.Step step : steps) {
            switch (step) {
              case WritePlan.DeleteDocuments delete -> deleteDocuments(connection, table, delete);
              case WritePlan.ReplaceChunks replace -> replaceChunks(connection, table, replace);
            }
          }
          return null;
        });
  }

  private static void deleteDocuments(
      Connection connection, ChunkTable table, WritePlan.DeleteDocuments step) throws SQLException {
    Object[] ids = step.versions().keySet().toArray();
    Object[] versions = step.versions().values().toArray();
    for (String sql :
        List.of(
            """
            DELETE FROM %s AS c
            USING unnest(CAST(? AS text[]), CAST(? AS bigint[])) AS w(document_id, document_version)
            WHERE c.document_id = w.document_id AND c.document_version < w.document_version
            """
                .formatted(table.name()),
            """
            DELETE FROM %s AS c
            USING unnest(CAST(? AS text[]), CAST(? AS bigint[])) AS w(document_id, document_version)
            WHERE c.document_id = w.document_id AND c.document_version < w.document_version
            """
                .formatted(table.stagedName()),
            """
            INSERT INTO %1$s AS d (document_id, document_version)
            SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]))
            ON CONFLICT (document_id) DO UPDATE
              SET document_version = greatest(d.document_version, EXCLUDED.document_version)
            """
                .formatted(table.deletedName()))) {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setArray(1, connection.createArrayOf("text", ids));
        statement.setArray(2, connection.createArrayOf("int8", versions));
        statement.executeUpdate();
      }
    }
  }

  /**
   * Documents of the step whose version is already superseded: the chunks table holds a newer
   * version (or, with {@code orSame}, this very one), or the document was deleted at a newer
   * version. Safe to read before writing: writes to an index hold its lock.
   */
  private static Set<String> superseded(
      Connection connection, ChunkTable table, WritePlan.ReplaceChunks step, boolean orSame)
      throws SQLException {
    try (PreparedStatement newer =
        connection.prepareStatement(
            """
            SELECT w.document_id
            FROM unnest(CAST(? AS text[]), CAST(? AS bigint[])) AS w(document_id, document_version)
            WHERE EXISTS (SELECT 1 FROM %1$s AS c WHERE c.document_id = w.document_id
                            AND c.document_version %3$s w.document_version)
               OR EXISTS (SELECT 1 FROM %2$s AS d WHERE d.document_id = w.document_id
                            AND d.document_version > w.document_version)
            """
                .formatted(table.name(), table.deletedName(), orSame ? ">=" : ">"))) {
      newer.setArray(1, connection.createArrayOf("text", step.versions().keySet().toArray()));
      newer.setArray(2, connection.createArrayOf("int8", step.versions().values().toArray()));
      Set<String> documents = new HashSet<>();
      try (ResultSet rows = newer.executeQuery()) {
        while (rows.next()) {
          documents.add(rows.getString(1));
        }
      }
      return documents;
    }
  }

  /**
   * Writes the documents whose version the step completes straight into the chunks table, and
   * stages the others; a staged version that is now whole moves into the chunks table. Either way
   * the older version leaves in the same transaction as the newer one arrives.
   */
  private static void replaceChunks(
      Connection connection, ChunkTable table, WritePlan.ReplaceChunks requested)
      throws SQLException {
    Set<String> partial = new HashSet<>();
    requested.versions().keySet().stream()
        .filter(document -> !requested.completes(document))
        .forEach(partial::add);
    Set<String> whole = new HashSet<>(requested.versions().keySet());
    whole.removeAll(partial);
    WritePlan.ReplaceChunks direct =
        requested.without(partial).without(superseded(connection, table, requested, false));
    WritePlan.ReplaceChunks staged =
        requested.without(whole).without(superseded(connection, table, requested, true));
    if (!direct.versions().isEmpty()) {
      removeOtherVersions(connection, table, direct.versions());
      insertChunks(connection, table, direct.chunks());
    }
    if (!staged.versions().isEmpty()) {
      stage(connection, table, staged);
      Map<String, Long> completed = wholeInStage(connection, table, staged);
      if (!completed.isEmpty()) {
        moveIn(connection, table, completed);
      }
    }
  }

  /**
   * Removes every chunk of these documents from the chunks table (all older: newer ones were
   * filtered out), and their staged chunks and deletions of older versions.
   */
  private static void removeOtherVersions(
      Connection connection, ChunkTable table, Map<String, Long> versions) throws SQLException {
    Object[] ids = versions.keySet().toArray();
    Object[] numbers = versions.values().toArray();
    try (PreparedStatement chunks =
            connection.prepareStatement(
                "DELETE FROM %s WHERE document_id = ANY(?)".formatted(table.name()));
        PreparedStatement stagedAndDeleted =
            connection.prepareStatement(
                """
                WITH w AS (
                  SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]))
                    AS w(document_id, document_version)
                ), staged AS (
                  DELETE FROM %1$s AS s USING w
                  WHERE s.document_id = w.document_id AND s.document_version < w.document_version
                )
                DELETE FROM %2$s AS d USING w
                WHERE d.document_id = w.document_id AND d.document_version < w.document_version
                """
                    .formatted(table.stagedName(), table.deletedName()))) {
      chunks.setArray(1, connection.createArrayOf("text", ids));
      chunks.executeUpdate();
      stagedAndDeleted.setArray(1, connection.createArrayOf("text", ids));
      stagedAndDeleted.setArray(2, connection.createArrayOf("int8", numbers));
      stagedAndDeleted.executeUpdate();
    }
  }

  private static void insertChunks(Connection connection, ChunkTable table, List<ChunkRecord> all)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO %s (chunk_id, document_id, document_version, position, text, source,
                            source_type, language, heading_path, content_hash, metadata, embedding)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
            ON CONFLICT (chunk_id) DO UPDATE SET
              document_id = EXCLUDED.document_id,
              document_version = EXCLUDED.document_version,
              position = EXCLUDED.position,
              %s
              embedding = EXCLUDED.embedding
            """
                .formatted(table.name(), CONTENT_UPDATE))) {
      executeBatched(insert, all, chunk -> ChunkRows.bind(insert, table, chunk, 1));
    }
  }

  private static void stage(Connection connection, ChunkTable table, WritePlan.ReplaceChunks step)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO %s (chunk_id, document_id, document_version, position, text, source,
                            source_type, language, heading_path, content_hash, metadata, embedding,
                            chunk_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)
            ON CONFLICT (document_id, document_version, position) DO UPDATE SET
              chunk_id = EXCLUDED.chunk_id,
              %s
              embedding = EXCLUDED.embedding,
              chunk_count = EXCLUDED.chunk_count
            """
                .formatted(table.stagedName(), CONTENT_UPDATE))) {
      executeBatched(
          insert,
          step.chunks(),
          chunk -> {
            int next = ChunkRows.bind(insert, table, chunk, 1);
            insert.setInt(next, step.chunkCounts().get(chunk.documentId()));
          });
    }
  }

  @FunctionalInterface
  private interface RowBinder {
    void bind(ChunkRecord chunk) throws SQLException;
  }

  /** Runs the statement once per chunk, {@value #BATCH_SIZE} rows a round trip. */
  private static void executeBatched(
      PreparedStatement statement, List<ChunkRecord> chunks, RowBinder binder) throws SQLException {
    int pending = 0;
    for (ChunkRecord chunk : chunks) {
      binder.bind(chunk);
      statement.addBatch();
      if (++pending == BATCH_SIZE) {
        statement.executeBatch();
        pending = 0;
      }
    }
    if (pending > 0) {
      statement.executeBatch();
    }
  }

  /** The documents of the step whose staged version now has all its chunks. */
  private static Map<String, Long> wholeInStage(
      Connection connection, ChunkTable table, WritePlan.ReplaceChunks step) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            """
            SELECT s.document_id, s.document_version
            FROM %s AS s
            JOIN unnest(CAST(? AS text[]), CAST(? AS bigint[])) AS w(document_id, document_version)
              ON s.document_id = w.document_id AND s.document_version = w.document_version
            GROUP BY s.document_id, s.document_version, s.chunk_count
            HAVING count(*) = s.chunk_count
            """
                .formatted(table.stagedName()))) {
      select.setArray(1, connection.createArrayOf("text", step.versions().keySet().toArray()));
      select.setArray(2, connection.createArrayOf("int8", step.versions().values().toArray()));
      Map<String, Long> whole = new LinkedHashMap<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          whole.put(rows.getString(1), rows.getLong(2));
        }
      }
      return whole;
    }
  }

  /** Moves whole staged versions into the chunks table, in place of the documents' older ones. */
  private static void moveIn(Connection connection, ChunkTable table, Map<String, Long> versions)
      throws SQLException {
    try (PreparedStatement move =
        connection.prepareStatement(
            """
            WITH moved AS (
              DELETE FROM %1$s AS s
              USING unnest(CAST(? AS text[]), CAST(? AS bigint[])) AS w(document_id, document_version)
              WHERE s.document_id = w.document_id AND s.document_version = w.document_version
              RETURNING s.*
            )
            INSERT INTO %2$s (chunk_id, document_id, document_version, position, text, source,
                              source_type, language, heading_path, content_hash, metadata, embedding)
            SELECT chunk_id, document_id, document_version, position, text, source, source_type,
                   language, heading_path, content_hash, metadata, embedding
            FROM moved
            """
                .formatted(table.stagedName(), table.name()))) {
      removeOtherVersions(connection, table, versions);
      move.setArray(1, connection.createArrayOf("text", versions.keySet().toArray()));
      move.setArray(2, connection.createArrayOf("int8", versions.values().toArray()));
      move.executeUpdate();
    }
  }
}
