package dev.agentbrain.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.PoolStats;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL with pgvector as a backend: one table per physical index (see {@link ChunkTable} for
 * its layout), recorded in the catalog table {@code agentbrain_indexes}, which versioned migrations
 * create on first use ({@link #ddl} prints all of it for a database administrator).
 *
 * <p>Thread-safe; holds a connection pool, so one instance serves a whole process. Each write call
 * is one transaction. Vector searches use the HNSW index with {@code hnsw.ef_search} from the
 * config, and pgvector's relaxed iterative scan when filtered, so a selective filter still fills
 * {@code topK}.
 *
 * <p>This class is the facade of package-private parts: the catalog and DDL ({@link IndexCatalog}),
 * reads ({@link ChunkReader}, {@link KeywordSearch}), writes ({@link ChunkTableWriter}) and the
 * mapping between chunks and rows ({@link ChunkRows}).
 */
public final class PostgresStore implements ChunkWriter, Retriever, ChunkScan {

  private final HikariDataSource pool;
  private final IndexCatalog catalog;
  private final ChunkReader reader;
  private final KeywordSearch keywords;
  private final ChunkTableWriter writer;

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
    this.catalog = new IndexCatalog(pool, new PostgresErrors(config.jdbcUrl()));
    this.reader = new ChunkReader(catalog, config.efSearch());
    this.keywords = new KeywordSearch(catalog, bm25);
    this.writer = new ChunkTableWriter(catalog);
  }

  /**
   * Everything {@link #ensureIndex} would create for {@code spec} in a fresh database, as one SQL
   * script: the shared schema (migrations) and the index's table, indexes and catalog row.
   */
  public static String ddl(IndexSpec spec) {
    return IndexCatalog.ddl(spec);
  }

  @Override
  public void ensureIndex(IndexSpec spec) {
    catalog.ensure(spec, true);
  }

  /**
   * Creates the physical index like {@link #ensureIndex} but without its HNSW index, for a replay
   * that loads many rows before anything queries them (load-then-build measured several times
   * faster than inserting into the index: {@code make bench-hnsw}). Call {@link #buildVectorIndex}
   * before the index serves queries. Does nothing but the checks of {@link #ensureIndex} when the
   * index exists.
   */
  public void ensureIndexForBulkLoad(IndexSpec spec) {
    catalog.ensure(spec, false);
  }

  /**
   * Builds the HNSW index of a physical index when it has none (else returns at once), without
   * blocking writes ({@code CONCURRENTLY}), with this session's {@code maintenance_work_mem} and
   * {@code max_parallel_maintenance_workers} raised for the build only. After a build, vacuums and
   * analyses the chunks, the keyword postings, terms and statistics, which a bulk load leaves
   * without planner statistics and without a visibility map: keyword search reads postings by
   * index-only scans, which would otherwise visit the table for every posting until autovacuum
   * comes by (at 100k chunks: 798 buffers read for 1,039 postings before, 26 after). Then rewrites
   * the posting blocks compactly ({@code VACUUM FULL}; writes to this index wait for it, 5 s at
   * 100k chunks): the load rewrote each term's last block once per statement and left most of their
   * pages dead.
   *
   * @param maintenanceWorkMem e.g. {@code 1GB}
   * @param parallelWorkers extra build processes; keep one core for the queries of other indexes
   * @return how long it took
   */
  public Duration buildVectorIndex(
      String physicalName, String maintenanceWorkMem, int parallelWorkers) {
    return catalog.buildVectorIndex(physicalName, maintenanceWorkMem, parallelWorkers);
  }

  @Override
  public void write(String physicalName, List<ChunkWrite> writes) {
    writer.write(physicalName, writes);
  }

  @Override
  public void dropIndex(String physicalName) {
    catalog.drop(physicalName);
  }

  @Override
  public List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
    return reader.vectorSearch(physicalName, query);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Exact top {@code topK} by BM25 from the index's keyword statistics, without scoring every
   * chunk that holds a query term (see {@link KeywordSearch}).
   */
  @Override
  public List<SearchHit> keywordSearch(String physicalName, KeywordQuery query) {
    return keywords.search(physicalName, query, false);
  }

  /**
   * For measurement only: the ranking {@link #keywordSearch} would give without pruning, every
   * chunk that holds a query term scored from its tsvector (no postings, slower as the index
   * grows). Same scores, order and ties as {@link #keywordSearch}, which must return exactly this
   * ranking; {@code make eval} compares the two.
   */
  public List<SearchHit> keywordSearchExhaustive(String physicalName, KeywordQuery query) {
    return keywords.search(physicalName, query, true);
  }

  @Override
  public KeywordReadiness keywordReadiness() {
    return KeywordReadiness.inStep(
        "keyword statistics are written in the same transaction as the chunks");
  }

  @Override
  public long count(String physicalName, Filter filter) {
    return reader.count(physicalName, filter);
  }

  @Override
  public Optional<ChunkRecord> chunk(String physicalName, String chunkId) {
    return reader.chunk(physicalName, chunkId);
  }

  /** Pages by document id, in order (keyset pagination on the document index). */
  @Override
  public DocumentPage documents(String physicalName, String cursor, int limit) {
    return reader.documents(physicalName, cursor, limit);
  }

  @Override
  public List<ChunkRecord> chunksOf(String physicalName, Collection<String> documentIds) {
    return reader.chunksOf(physicalName, documentIds);
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
}
