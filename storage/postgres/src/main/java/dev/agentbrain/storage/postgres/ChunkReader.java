package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan.DocumentPage;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.storage.VectorQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The reads of {@link PostgresStore} but keyword search ({@link KeywordSearch}): vector search on
 * the HNSW index, with {@code hnsw.ef_search} from the config and pgvector's relaxed iterative scan
 * when filtered, counts, and chunks by id or document for the scans.
 */
final class ChunkReader {

  private final IndexCatalog catalog;
  private final Transactions transactions;
  private final int efSearch;

  ChunkReader(IndexCatalog catalog, int efSearch) {
    this.catalog = catalog;
    this.transactions = catalog.transactions();
    this.efSearch = efSearch;
  }

  List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
    ChunkTable table = catalog.table(physicalName);
    table.spec().requireUsable(query.vector(), "the query vector");
    SqlFilter filter = SqlFilter.of(query.filter());
    String sql = searchSql(table.name(), filter.sql());
    return transactions.inTransaction(
        "searching index " + physicalName,
        physicalName,
        connection -> {
          tuneSearch(connection, query);
          List<SearchHit> hits = new ArrayList<>();
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, table.parameter(query.vector()));
            int next = filter.bind(connection, select, 2);
            select.setInt(next, query.topK());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                double score = Similarity.fromCosineDistance(rows.getDouble("distance"));
                if (Similarity.passes(score, query.similarityThreshold())) {
                  hits.add(new SearchHit(ChunkRows.chunk(rows, new float[0]), score));
                }
              }
            }
          }
          // a relaxed iterative scan may return hits slightly out of order; ties by chunk id
          hits.sort(SearchHit.BEST_FIRST);
          return hits;
        });
  }

  long count(String physicalName, Filter filter) {
    ChunkTable table = catalog.table(physicalName);
    SqlFilter condition = SqlFilter.of(filter);
    String sql = "SELECT count(*) FROM %s WHERE %s".formatted(table.name(), condition.sql());
    return transactions.inTransaction(
        "counting chunks of index " + physicalName,
        physicalName,
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            condition.bind(connection, select, 1);
            try (ResultSet rows = select.executeQuery()) {
              rows.next();
              return rows.getLong(1);
            }
          }
        });
  }

  Optional<ChunkRecord> chunk(String physicalName, String chunkId) {
    return chunksWhere(
            physicalName,
            "reading a chunk of index " + physicalName,
            "chunk_id = ?",
            (connection, select) -> select.setString(1, chunkId))
        .stream()
        .findFirst();
  }

  /** Pages by document id, in order (keyset pagination on the document index). */
  DocumentPage documents(String physicalName, String cursor, int limit) {
    ChunkTable table = catalog.table(physicalName);
    String sql =
        "SELECT DISTINCT document_id FROM %s WHERE document_id > ? ORDER BY document_id LIMIT ?"
            .formatted(table.name());
    List<String> ids =
        transactions.inTransaction(
            "listing documents of index " + physicalName,
            physicalName,
            connection -> {
              try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, cursor);
                select.setInt(2, Math.max(1, limit));
                List<String> page = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                  while (rows.next()) {
                    page.add(rows.getString(1));
                  }
                }
                return page;
              }
            });
    return new DocumentPage(
        ids, ids.size() < Math.max(1, limit) ? Optional.empty() : Optional.of(ids.getLast()));
  }

  List<ChunkRecord> chunksOf(String physicalName, Collection<String> documentIds) {
    return chunksWhere(
        physicalName,
        "reading chunks of index " + physicalName,
        "document_id = ANY(?)",
        (connection, select) ->
            select.setArray(1, connection.createArrayOf("text", documentIds.toArray())));
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  private interface Parameters {
    void bind(Connection connection, PreparedStatement statement) throws SQLException;
  }

  /** The chunks, embeddings included, of the index's rows that meet the condition. */
  private List<ChunkRecord> chunksWhere(
      String physicalName, String action, String condition, Parameters parameters) {
    ChunkTable table = catalog.table(physicalName);
    String sql = ChunkRows.selectWhere(table.name(), condition);
    return transactions.inTransaction(
        action,
        physicalName,
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            parameters.bind(connection, select);
            List<ChunkRecord> chunks = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                chunks.add(ChunkRows.withEmbedding(rows));
              }
            }
            return chunks;
          }
        });
  }

  /**
   * The nearest-neighbour query: its parameters are the query vector, the condition's and the
   * limit. Ordering by the distance alone is what lets PostgreSQL walk the HNSW index.
   */
  static String searchSql(String tableName, String condition) {
    return """
        SELECT %s, embedding <=> ? AS distance
        FROM %s
        WHERE %s
        ORDER BY distance
        LIMIT ?
        """
        .formatted(ChunkRows.COLUMNS, tableName, condition);
  }

  /** Sets this transaction's HNSW search options. */
  private void tuneSearch(Connection connection, VectorQuery query) throws SQLException {
    try (PreparedStatement settings =
        connection.prepareStatement(
            "SELECT set_config('hnsw.ef_search', ?, true), set_config('hnsw.iterative_scan', ?, true)")) {
      // ef_search caps how many rows one scan returns, so it must be at least topK
      settings.setString(1, Integer.toString(Math.max(efSearch, query.topK())));
      settings.setString(2, query.filter() instanceof Filter.All ? "off" : "relaxed_order");
      settings.execute();
    }
  }
}
