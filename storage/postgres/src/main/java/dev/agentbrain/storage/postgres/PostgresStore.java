package dev.agentbrain.storage.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pgvector.PGhalfvec;
import com.pgvector.PGvector;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.PoolStats;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.WritePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL with pgvector as a backend: one table per physical index (see {@link ChunkTable} for
 * its layout), recorded in the catalog table {@code agentbrain_indexes}, which versioned migrations
 * create on first use ({@link #ddl} prints all of it for a database administrator).
 *
 * <p>Thread-safe; holds a connection pool, so one instance serves a whole process. Each write call
 * is one transaction. Vector searches use the HNSW index with {@code hnsw.ef_search} from the
 * config, and pgvector's relaxed iterative scan when filtered, so a selective filter still fills
 * {@code topK}.
 */
public final class PostgresStore implements ChunkWriter, Retriever, ChunkScan {

  private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
  private static final String BACKEND = "PostgreSQL";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {};
  private static final int BATCH_SIZE = 500;

  /** Separates index locks from other advisory locks: the first half of a two-key lock. */
  private static final int INDEX_LOCK_SPACE = 0x61626978;

  private static final String COLUMNS =
      """
      chunk_id, document_id, document_version, position, text, source, source_type, language,
      heading_path, content_hash, metadata::text AS metadata""";

  private final HikariDataSource pool;
  private final PostgresErrors errors;
  private final int efSearch;
  private final Bm25 bm25;
  private final ConcurrentMap<String, ChunkTable> tables = new ConcurrentHashMap<>();
  private volatile boolean migrated;

  /** Opens a pool for the config; connections are made on first use, so the server may be down. */
  public PostgresStore(PostgresConfig config) {
    this(config, Bm25.STANDARD);
  }

  /** As {@link #PostgresStore(PostgresConfig)}, ranking keyword searches with these parameters. */
  public PostgresStore(PostgresConfig config, Bm25 bm25) {
    this(config, bm25, Optional.empty());
  }

  /**
   * A store for searches (the query API's): PostgreSQL cancels any of its statements that runs
   * longer than {@code statementTimeout} ({@code statement_timeout} of every connection), and the
   * call fails as unavailable, so a costly search cannot hold a connection and the database for
   * long. Not for writers: building an index may take longer.
   */
  public static PostgresStore reader(PostgresConfig config, Duration statementTimeout) {
    return new PostgresStore(config, Bm25.STANDARD, Optional.of(statementTimeout));
  }

  private PostgresStore(PostgresConfig config, Bm25 bm25, Optional<Duration> statementTimeout) {
    VectorTypesDataSource dataSource = new VectorTypesDataSource();
    statementTimeout.ifPresent(
        timeout -> dataSource.setOptions("-c statement_timeout=" + timeout.toMillis()));
    dataSource.setURL(config.jdbcUrl());
    dataSource.setUser(config.user());
    dataSource.setPassword(config.password());
    dataSource.setApplicationName("agent-brain");
    // one multi-row INSERT per 128 rows instead of one per row: the keyword statistics triggers
    // run once per statement, and cost the same for one row as for a hundred
    dataSource.setReWriteBatchedInserts(true);
    HikariConfig pooling = new HikariConfig();
    pooling.setDataSource(dataSource);
    pooling.setPoolName("agent-brain-postgres");
    pooling.setMaximumPoolSize(config.maxPoolSize());
    pooling.setConnectionTimeout(config.connectionTimeout().toMillis());
    pooling.setInitializationFailTimeout(-1);
    this.pool = new HikariDataSource(pooling);
    this.errors = new PostgresErrors(config.jdbcUrl());
    this.efSearch = config.efSearch();
    this.bm25 = bm25;
  }

  /**
   * Everything {@link #ensureIndex} would create for {@code spec} in a fresh database, as one SQL
   * script: the shared schema (migrations) and the index's table, indexes and catalog row.
   */
  public static String ddl(IndexSpec spec) {
    ChunkTable table = new ChunkTable(spec);
    return "-- Agent Brain schema and index %s, for a fresh database\nBEGIN;\n%s\n-- index %s\n%s%sCOMMIT;\n"
        .formatted(
            spec.physicalName(),
            SchemaMigrations.script(),
            spec.physicalName(),
            table.createSql() + table.keywordStatisticsSql(),
            table.catalogInsertSql());
  }

  @Override
  public void ensureIndex(IndexSpec spec) {
    ensureIndex(spec, true);
  }

  /**
   * Creates the physical index like {@link #ensureIndex} but without its HNSW index, for a replay
   * that loads many rows before anything queries them (load-then-build measured several times
   * faster than inserting into the index: {@code make bench-hnsw}). Call {@link #buildVectorIndex}
   * before the index serves queries. Does nothing but the checks of {@link #ensureIndex} when the
   * index exists.
   */
  public void ensureIndexForBulkLoad(IndexSpec spec) {
    ensureIndex(spec, false);
  }

  private void ensureIndex(IndexSpec spec, boolean vectorIndex) {
    migrateOnce();
    ChunkTable table = new ChunkTable(spec);
    inTransaction(
        "preparing index " + spec.physicalName(),
        spec.physicalName(),
        connection -> {
          lockIndex(connection, spec.physicalName());
          Optional<IndexSpec> stored = catalogEntry(connection, spec.physicalName());
          if (stored.isPresent()) {
            spec.requireMatches(stored.get(), BACKEND);
            requireColumnType(connection, table);
            addKeywordStatisticsWhenMissing(connection, table);
            try (Statement ddl = connection.createStatement()) {
              ddl.execute(table.versionTablesSql());
            }
          } else {
            create(connection, table, vectorIndex);
          }
          return null;
        });
    tables.put(spec.physicalName(), table);
  }

  /**
   * Builds the HNSW index of a physical index when it has none (else returns at once), without
   * blocking writes ({@code CONCURRENTLY}), with this session's {@code maintenance_work_mem} and
   * {@code max_parallel_maintenance_workers} raised for the build only.
   *
   * @param maintenanceWorkMem e.g. {@code 1GB}
   * @param parallelWorkers extra build processes; keep one core for the queries of other indexes
   * @return how long it took
   */
  public Duration buildVectorIndex(
      String physicalName, String maintenanceWorkMem, int parallelWorkers) {
    ChunkTable table = table(physicalName);
    long started = System.nanoTime();
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(true); // CONCURRENTLY cannot run inside a transaction
      try (PreparedStatement settings =
          connection.prepareStatement(
              "SELECT set_config('maintenance_work_mem', ?, false),"
                  + " set_config('max_parallel_maintenance_workers', ?, false)")) {
        settings.setString(1, maintenanceWorkMem);
        settings.setString(2, String.valueOf(parallelWorkers));
        settings.execute();
      }
      try (Statement build = connection.createStatement()) {
        build.execute(table.vectorIndexSql("CONCURRENTLY"));
      } finally {
        try (Statement reset = connection.createStatement()) {
          // the connection goes back to the pool
          reset.execute("RESET maintenance_work_mem; RESET max_parallel_maintenance_workers");
        }
      }
    } catch (SQLException e) {
      throw errors.translate(e, "building the vector index of " + physicalName, physicalName);
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Override
  public void write(String physicalName, List<ChunkWrite> writes) {
    ChunkTable table = table(physicalName);
    table.spec().requireWritable(writes);
    List<WritePlan.Step> steps = WritePlan.of(writes);
    if (steps.isEmpty()) {
      return;
    }
    inTransaction(
        "writing to index " + physicalName,
        physicalName,
        connection -> {
          // every write updates the index's one stats row; queueing here, before any row is
          // locked, keeps concurrent writers from deadlocking on chunk rows and that row
          lockIndex(connection, physicalName);
          for (WritePlan.Step step : steps) {
            switch (step) {
              case WritePlan.DeleteDocuments delete -> deleteDocuments(connection, table, delete);
              case WritePlan.ReplaceChunks replace -> replaceChunks(connection, table, replace);
            }
          }
          return null;
        });
  }

  @Override
  public void dropIndex(String physicalName) {
    IndexSpec.requireValidName(physicalName);
    migrateOnce();
    inTransaction(
        "dropping index " + physicalName,
        physicalName,
        connection -> {
          lockIndex(connection, physicalName);
          try (PreparedStatement drop =
                  connection.prepareStatement(
                      "DROP TABLE IF EXISTS "
                          + String.join(", ", ChunkTable.allNamesOf(physicalName)));
              PreparedStatement forget =
                  connection.prepareStatement(
                      "DELETE FROM agentbrain_indexes WHERE physical_name = ?")) {
            drop.execute();
            forget.setString(1, physicalName);
            if (forget.executeUpdate() > 0) {
              log.info("dropped PostgreSQL index {}", physicalName);
            }
          }
          return null;
        });
    tables.remove(physicalName);
  }

  @Override
  public List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
    ChunkTable table = table(physicalName);
    table.spec().requireUsable(query.vector(), "the query vector");
    SqlFilter filter = SqlFilter.of(query.filter());
    String sql = searchSql(table.name(), filter.sql());
    return inTransaction(
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
                  hits.add(new SearchHit(chunk(rows, new float[0]), score));
                }
              }
            }
          }
          // a relaxed iterative scan may return hits slightly out of order; ties by chunk id
          hits.sort(SearchHit.BEST_FIRST);
          return hits;
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Exact top {@code topK} by BM25 without scoring every chunk that holds a query term
   * (MaxScore): a chunk can add at most {@code weight * (k1 + 1)} per term it holds, so a chunk
   * whose held terms' bounds sum below a threshold that {@code topK} chunks reach cannot be in the
   * result. Each pass scores only the chunks the GIN index finds for {@link TermCondition#atLeast}
   * of a threshold: first a guess, half of all bounds; when fewer than {@code topK} scored chunks
   * reach the threshold, the {@code topK}-th score found becomes the threshold (exact in the next
   * pass), or, with fewer than {@code topK} candidates, the guess halves and then drops to zero
   * (every chunk that holds a term). All passes read one snapshot, so writes in between cannot
   * change the statistics the bounds came from.
   */
  @Override
  public List<SearchHit> keywordSearch(String physicalName, KeywordQuery query) {
    ChunkTable table = table(physicalName);
    SqlFilter filter = SqlFilter.of(query.filter());
    String weightsSql = keywordWeightsSql(table);
    String sql = keywordSql(table, filter.sql());
    // NUL cannot be in stored text either, and PostgreSQL refuses it in a parameter
    String text = query.text().replace('\u0000', ' ');
    return inTransaction(
        "searching index " + physicalName + " by keyword",
        physicalName,
        connection -> {
          try (Statement snapshot = connection.createStatement()) {
            snapshot.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          }
          withoutJit(connection);
          List<TermCondition.Bound> bounds = new ArrayList<>();
          try (PreparedStatement select = connection.prepareStatement(weightsSql)) {
            bindKeywordQuery(select, text);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                bounds.add(
                    new TermCondition.Bound(
                        rows.getString("lexeme"), bm25.bound(rows.getDouble("weight"))));
              }
            }
          }
          if (bounds.isEmpty()) {
            return List.<SearchHit>of();
          }
          double threshold = bounds.stream().mapToDouble(TermCondition.Bound::bound).sum() / 2;
          for (int pass = 1; ; pass++) {
            TermCondition candidates =
                threshold > 0
                    ? TermCondition.atLeast(bounds, threshold)
                    : TermCondition.anyOf(bounds);
            List<ScoredChunk> scored =
                scoreCandidates(connection, sql, text, candidates, filter, query.topK());
            boolean full = scored.size() == query.topK();
            if (threshold <= 0 || (full && scored.getLast().bm25() >= threshold)) {
              return scored.stream().map(ScoredChunk::hit).toList();
            }
            threshold = full ? scored.getLast().bm25() : pass < 2 ? threshold / 2 : 0;
          }
        });
  }

  /** A chunk with its raw BM25 score, and as a hit on the shared scale. */
  private record ScoredChunk(SearchHit hit, double bm25) {}

  private List<ScoredChunk> scoreCandidates(
      Connection connection,
      String sql,
      String text,
      TermCondition candidates,
      SqlFilter filter,
      int topK)
      throws SQLException {
    List<ScoredChunk> scored = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      bindKeywordQuery(select, text);
      select.setString(4, candidates.tsquery());
      int next = filter.bind(connection, select, 5);
      select.setInt(next, topK);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          double bm25Score = rows.getDouble("bm25");
          double score = Similarity.fromBm25(bm25Score, bm25.bound(rows.getDouble("query_weight")));
          scored.add(new ScoredChunk(new SearchHit(chunk(rows, new float[0]), score), bm25Score));
        }
      }
    }
    return scored;
  }

  /** Binds the parameters of {@link #keywordWeights}: the query text, k1 and b. */
  private void bindKeywordQuery(PreparedStatement select, String text) throws SQLException {
    select.setString(1, text);
    select.setDouble(2, bm25.k1());
    select.setDouble(3, bm25.b());
  }

  /**
   * The query's analysed terms with their BM25 weights ({@code queryCount * idf}), as common table
   * expressions {@code query}, {@code stats} and {@code weights}. Parameters: the query text, k1,
   * b. A term no chunk holds has no weight.
   */
  private static String keywordWeights(ChunkTable table) {
    return """
        WITH query AS (
          SELECT to_tsvector('%3$s'::regconfig, ?) AS terms
        ), stats AS (
          SELECT chunks, greatest(total_length::float8 / nullif(chunks, 0), 1) AS average_length,
                 CAST(? AS float8) AS k1, CAST(? AS float8) AS b
          FROM %2$s
        ), weights AS (
          SELECT q.lexeme,
                 cardinality(q.positions) * ln(1 + (s.chunks - t.df + 0.5) / (t.df + 0.5)) AS weight
          FROM query CROSS JOIN unnest(query.terms) AS q
          JOIN %1$s AS t ON t.term = q.lexeme
          CROSS JOIN stats AS s
        )"""
        .formatted(table.termsName(), table.statsName(), table.spec().textSearchLanguage());
  }

  /** The query's terms and weights ({@link #keywordWeights}). Parameters: the text, k1, b. */
  static String keywordWeightsSql(ChunkTable table) {
    return keywordWeights(table) + "\nSELECT lexeme, weight FROM weights\n";
  }

  /**
   * The BM25 query of the chunks that meet a {@link TermCondition}. Parameters: the query text, k1,
   * b, the condition as tsquery text, the filter's, the limit. Candidates come from the GIN index
   * on {@code text_search}; each candidate's term frequencies come from its tsvector's positions,
   * the IDF and average length from the statistics tables. Only the best {@code limit} rows are
   * joined back for their columns.
   *
   * <p>Marking the query's terms with weight A and keeping only those ({@code ts_filter}) before
   * {@code unnest} makes a candidate yield a row per matching term instead of one per term it holds
   * (SciFact, a 9-term query matching 3,760 of 5,183 chunks: 350 ms before, 45 ms after). It relies
   * on stored tsvectors having only the default weight D, which {@code to_tsvector} gives.
   */
  static String keywordSql(ChunkTable table, String condition) {
    return keywordWeights(table)
        + """
        , matches AS (
          SELECT c.chunk_id, c.text_length, d.lexeme, cardinality(d.positions) AS tf
          FROM %2$s AS c
          CROSS JOIN LATERAL unnest(ts_filter(
            setweight(c.text_search, 'A', (SELECT array_agg(lexeme) FROM weights)), '{a}')) AS d
          WHERE c.text_search @@ CAST(? AS tsquery) AND %3$s
        ), scored AS (
          SELECT m.chunk_id,
                 sum(w.weight * m.tf * (s.k1 + 1)
                     / (m.tf + s.k1 * (1 - s.b + s.b * m.text_length / s.average_length))) AS bm25
          FROM matches AS m JOIN weights AS w USING (lexeme) CROSS JOIN stats AS s
          GROUP BY m.chunk_id
          ORDER BY bm25 DESC, m.chunk_id
          LIMIT ?
        )
        SELECT %1$s, scored.bm25, (SELECT sum(weight) FROM weights) AS query_weight
        FROM scored JOIN %2$s AS c USING (chunk_id)
        ORDER BY scored.bm25 DESC, c.chunk_id
        """
            .formatted(COLUMNS, table.name(), condition);
  }

  @Override
  public KeywordReadiness keywordReadiness() {
    return KeywordReadiness.inStep(
        "keyword statistics are written in the same transaction as the chunks");
  }

  @Override
  public long count(String physicalName, Filter filter) {
    ChunkTable table = table(physicalName);
    SqlFilter condition = SqlFilter.of(filter);
    String sql = "SELECT count(*) FROM %s WHERE %s".formatted(table.name(), condition.sql());
    return inTransaction(
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

  @Override
  public Optional<ChunkRecord> chunk(String physicalName, String chunkId) {
    ChunkTable table = table(physicalName);
    String sql = "SELECT %s, embedding FROM %s WHERE chunk_id = ?".formatted(COLUMNS, table.name());
    return inTransaction(
        "reading a chunk of index " + physicalName,
        physicalName,
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, chunkId);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next()
                  ? Optional.of(chunk(rows, vector(rows.getObject("embedding"))))
                  : Optional.<ChunkRecord>empty();
            }
          }
        });
  }

  /** Pages by document id, in order (keyset pagination on the document index). */
  @Override
  public DocumentPage documents(String physicalName, String cursor, int limit) {
    ChunkTable table = table(physicalName);
    String sql =
        "SELECT DISTINCT document_id FROM %s WHERE document_id > ? ORDER BY document_id LIMIT ?"
            .formatted(table.name());
    List<String> ids =
        inTransaction(
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

  @Override
  public List<ChunkRecord> chunksOf(String physicalName, Collection<String> documentIds) {
    ChunkTable table = table(physicalName);
    String sql =
        "SELECT %s, embedding FROM %s WHERE document_id = ANY(?)".formatted(COLUMNS, table.name());
    return inTransaction(
        "reading chunks of index " + physicalName,
        physicalName,
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(1, connection.createArrayOf("text", documentIds.toArray()));
            List<ChunkRecord> chunks = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                chunks.add(chunk(rows, vector(rows.getObject("embedding"))));
              }
            }
            return chunks;
          }
        });
  }

  @Override
  public Optional<PoolStats> poolStats() {
    var bean = pool.getHikariPoolMXBean();
    if (bean == null) { // before the pool has started
      return Optional.of(new PoolStats(0, 0, 0, pool.getMaximumPoolSize()));
    }
    return Optional.of(
        new PoolStats(
            bean.getActiveConnections(),
            bean.getIdleConnections(),
            bean.getThreadsAwaitingConnection(),
            pool.getMaximumPoolSize()));
  }

  @Override
  public void close() {
    pool.close();
  }

  // ---- schema ---------------------------------------------------------------------------------

  private void migrateOnce() {
    if (migrated) {
      return;
    }
    synchronized (this) {
      if (!migrated) {
        inTransaction(
            "preparing the Agent Brain schema",
            "",
            connection -> {
              SchemaMigrations.apply(connection);
              return null;
            });
        migrated = true;
      }
    }
  }

  /** The table of an index, from the catalog the first time. */
  private ChunkTable table(String physicalName) {
    IndexSpec.requireValidName(physicalName);
    ChunkTable known = tables.get(physicalName);
    if (known != null) {
      return known;
    }
    ChunkTable found =
        inTransaction(
                "reading the index catalog",
                physicalName,
                connection -> catalogEntry(connection, physicalName))
            .map(ChunkTable::new)
            .orElseThrow(
                () ->
                    new NoSuchIndexException(
                        "index %s does not exist in PostgreSQL; create it first (the indexer does on start)"
                            .formatted(physicalName)));
    tables.put(physicalName, found);
    return found;
  }

  private static void lockIndex(Connection connection, String physicalName) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, INDEX_LOCK_SPACE);
      lock.setString(2, physicalName);
      lock.execute();
    }
  }

  private static Optional<IndexSpec> catalogEntry(Connection connection, String physicalName)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            """
            SELECT dimensions, model, text_search_language
            FROM agentbrain_indexes
            WHERE physical_name = ?
            """)) {
      select.setString(1, physicalName);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next()
            ? Optional.of(
                new IndexSpec(physicalName, rows.getInt(1), rows.getString(2), rows.getString(3)))
            : Optional.empty();
      }
    }
  }

  /** Compares the embedding column's real type (its type modifier holds the dimensions). */
  private static void requireColumnType(Connection connection, ChunkTable table)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            """
            SELECT format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(?) AND a.attname = 'embedding' AND NOT a.attisdropped
            """)) {
      select.setString(1, table.name());
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new StorageException(
              "index %s is in the catalog but its table %s is missing; drop the index and build it again"
                  .formatted(table.spec().physicalName(), table.name()));
        }
        String actual = rows.getString(1);
        if (!actual.equals(table.columnType())) {
          throw ContractMismatchException.ofIndex(
              table.spec().physicalName(),
              BACKEND,
              "embedding column type",
              actual,
              table.columnType());
        }
      }
    }
  }

  /** Gives an index created before keyword search its statistics, counted from its chunks. */
  private static void addKeywordStatisticsWhenMissing(Connection connection, ChunkTable table)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT to_regclass(?) IS NULL")) {
      select.setString(1, table.statsName());
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        if (!rows.getBoolean(1)) {
          return;
        }
      }
    }
    try (PreparedStatement ddl = connection.prepareStatement(table.keywordStatisticsSql())) {
      ddl.execute();
    }
    log.info("added keyword statistics to PostgreSQL index {}", table.spec().physicalName());
  }

  private static void create(Connection connection, ChunkTable table, boolean vectorIndex)
      throws SQLException {
    IndexSpec spec = table.spec();
    try (PreparedStatement checks =
        connection.prepareStatement(
            """
            SELECT to_regclass(?) IS NOT NULL,
                   EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = ?)
            """)) {
      checks.setString(1, table.name());
      checks.setString(2, spec.textSearchLanguage());
      try (ResultSet rows = checks.executeQuery()) {
        rows.next();
        if (rows.getBoolean(1)) {
          throw new StorageException(
              "table %s exists but is not an Agent Brain index in the catalog; drop it or use another index name"
                  .formatted(table.name()));
        }
        if (!rows.getBoolean(2)) {
          throw new StorageException(
              "PostgreSQL has no text-search configuration '%s'; use one it has, such as english or simple"
                  .formatted(spec.textSearchLanguage()));
        }
      }
    }
    try (PreparedStatement ddl =
            connection.prepareStatement(
                table.createSql(vectorIndex) + table.keywordStatisticsSql());
        PreparedStatement record =
            connection.prepareStatement(
                """
                INSERT INTO agentbrain_indexes
                  (physical_name, model, dimensions, text_search_language)
                VALUES (?, ?, ?, ?)
                """)) {
      ddl.execute();
      record.setString(1, spec.physicalName());
      record.setString(2, spec.model());
      record.setInt(3, spec.dimensions());
      record.setString(4, spec.textSearchLanguage());
      record.executeUpdate();
    }
    log.info(
        "created PostgreSQL index {} ({}, model {})",
        spec.physicalName(),
        table.columnType(),
        spec.model());
  }

  // ---- writes ---------------------------------------------------------------------------------

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
              text = EXCLUDED.text,
              source = EXCLUDED.source,
              source_type = EXCLUDED.source_type,
              language = EXCLUDED.language,
              heading_path = EXCLUDED.heading_path,
              content_hash = EXCLUDED.content_hash,
              metadata = EXCLUDED.metadata,
              embedding = EXCLUDED.embedding
            """
                .formatted(table.name()))) {
      executeBatched(insert, all, chunk -> bindChunk(insert, table, chunk, 1));
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
              text = EXCLUDED.text,
              source = EXCLUDED.source,
              source_type = EXCLUDED.source_type,
              language = EXCLUDED.language,
              heading_path = EXCLUDED.heading_path,
              content_hash = EXCLUDED.content_hash,
              metadata = EXCLUDED.metadata,
              embedding = EXCLUDED.embedding,
              chunk_count = EXCLUDED.chunk_count
            """
                .formatted(table.stagedName()))) {
      executeBatched(
          insert,
          step.chunks(),
          chunk -> {
            int next = bindChunk(insert, table, chunk, 1);
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

  /** Binds a chunk's twelve columns from {@code first} on; returns the next parameter index. */
  private static int bindChunk(
      PreparedStatement statement, ChunkTable table, ChunkRecord chunk, int first)
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

  // ---- reads ----------------------------------------------------------------------------------

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
        .formatted(COLUMNS, tableName, condition);
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

  /**
   * Turns JIT compilation off for this transaction: the planner cannot estimate how many rows
   * {@code unnest} of a tsvector yields, overestimates the keyword query's cost by orders of
   * magnitude and compiles it, which took 0.7 s of a 0.06 s query.
   */
  private static void withoutJit(Connection connection) throws SQLException {
    try (PreparedStatement settings =
        connection.prepareStatement("SELECT set_config('jit', 'off', true)")) {
      settings.execute();
    }
  }

  private static ChunkRecord chunk(ResultSet rows, float[] embedding) throws SQLException {
    return new ChunkRecord(
        rows.getString("chunk_id"),
        rows.getString("document_id"),
        rows.getLong("document_version"),
        rows.getInt("position"),
        rows.getString("text"),
        rows.getString("source"),
        rows.getString("source_type"),
        rows.getString("language"),
        rows.getString("heading_path"),
        rows.getString("content_hash"),
        metadata(rows.getString("metadata")),
        embedding);
  }

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

  // ---- transactions ---------------------------------------------------------------------------

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction and translates failures. Any SQL failure about an index
   * forgets what is known about it, in case another process dropped or replaced it.
   */
  private <T> T inTransaction(String action, String physicalName, Work<T> work) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    } catch (SQLException e) {
      if (!physicalName.isEmpty()) {
        tables.remove(physicalName);
      }
      throw errors.translate(e, action, physicalName);
    }
  }
}
