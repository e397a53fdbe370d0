package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkScanContract;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.StoreContract;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.testing.LocalServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class PostgresStoreIT implements StoreContract, ChunkScanContract {

  private static LocalServices.Postgres server;
  private static PostgresStore store;

  @BeforeAll
  static void connect() {
    server = LocalServices.requirePostgres();
    store =
        new PostgresStore(PostgresConfig.of(server.jdbcUrl(), server.user(), server.password()));
  }

  @AfterAll
  static void disconnect() {
    if (store != null) { // null when PostgreSQL was not reachable
      store.close();
    }
  }

  @Override
  public ChunkWriter writer() {
    return store;
  }

  @Override
  public Retriever retriever() {
    return store;
  }

  @Override
  public ChunkScan scan() {
    return store;
  }

  @Test
  @DisplayName(
      "an embedding column whose real type differs from the catalog is a contract mismatch")
  void realColumnTypeIsChecked(TestInfo test) throws SQLException {
    IndexSpec spec = spec(test);
    sql(
        "ALTER TABLE chunks_%s ALTER COLUMN embedding TYPE vector(9)"
            .formatted(spec.physicalName()));

    assertThatThrownBy(() -> store.ensureIndex(spec))
        .isInstanceOf(ContractMismatchException.class)
        .hasMessageContaining("embedding column type vector(9)")
        .hasMessageContaining("expects vector(8)");
  }

  @Test
  @DisplayName(
      "an index of more than 2,000 dimensions stores half-precision vectors and searches them")
  void wideIndexUsesHalfvec() throws SQLException {
    IndexSpec wide = new IndexSpec("ct_" + RUN + "_wide", 2048, MODEL, "english");
    store.dropIndex(wide.physicalName());
    try {
      store.ensureIndex(wide);
      float[] vector = new float[2048];
      vector[0] = 1;
      vector[1] = 0.333f;
      store.write(wide.physicalName(), List.of(new ChunkWrite.Upsert(chunk("wide", vector))));

      var hits =
          store.vectorSearch(wide.physicalName(), new VectorQuery(vector, 1, 0.0, Filter.ALL));

      assertThat(columnType(wide.physicalName())).isEqualTo("halfvec(2048)");
      assertThat(hits.getFirst().score()).isCloseTo(1.0, within(1e-3));
      assertThat(store.chunk(wide.physicalName(), "wide").orElseThrow().embedding()[1])
          .isCloseTo(0.333f, within(1e-3f));
    } finally {
      store.dropIndex(wide.physicalName());
    }
  }

  @Test
  @DisplayName(
      "an index made for a bulk load has no HNSW index until it is built, and searches the same after")
  void bulkLoadBuildsTheVectorIndexAfterwards() throws SQLException {
    IndexSpec bulk = new IndexSpec("ct_" + RUN + "_bulk", 8, MODEL, "english");
    store.dropIndex(bulk.physicalName());
    try {
      store.ensureIndexForBulkLoad(bulk);
      List<ChunkWrite> writes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        writes.add(
            new ChunkWrite.Upsert(chunk("b" + i, new float[] {1, i / 50f, 0, 0, 0, 0, 0, 0.1f})));
      }
      store.write(bulk.physicalName(), writes.subList(0, 25));
      store.write(bulk.physicalName(), writes.subList(25, 50));
      store.ensureIndex(bulk); // as a sink does on first sight: accepted without the HNSW index
      VectorQuery query =
          new VectorQuery(new float[] {1, 0.5f, 0, 0, 0, 0, 0, 0.1f}, 5, 0, Filter.ALL);
      List<String> before =
          store.vectorSearch(bulk.physicalName(), query).stream()
              .map(h -> h.chunk().chunkId())
              .toList();
      assertThat(hasVectorIndex(bulk.physicalName())).isFalse();

      store.buildVectorIndex(bulk.physicalName(), "256MB", 1);
      store.buildVectorIndex(bulk.physicalName(), "256MB", 1); // already there: nothing to do

      assertThat(hasVectorIndex(bulk.physicalName())).isTrue();
      // every table the load wrote is vacuumed after it, whether or not autovacuum runs (the
      // blocks are rewritten whole, which the server does not count as a vacuum)
      assertThat(vacuumed(bulk.physicalName()))
          .containsExactlyInAnyOrder("chunks", "bm25_postings", "bm25_terms", "bm25_stats");
      assertThat(
              store.vectorSearch(bulk.physicalName(), query).stream()
                  .map(h -> h.chunk().chunkId())
                  .toList())
          .containsExactlyElementsOf(before);
    } finally {
      store.dropIndex(bulk.physicalName());
    }
  }

  /** The tables of an index vacuumed at least once, by the prefix of their names. */
  private static List<String> vacuumed(String physicalName) throws SQLException {
    return firstColumn(
            "SELECT relname FROM pg_stat_user_tables WHERE relname LIKE '%%_%s'"
                    .formatted(physicalName)
                + " AND coalesce(last_vacuum, last_autovacuum) IS NOT NULL")
        .stream()
        .map(name -> name.replace("_" + physicalName, ""))
        .toList();
  }

  private static boolean hasVectorIndex(String physicalName) throws SQLException {
    return firstColumn(
                "SELECT indexname FROM pg_indexes WHERE indexname = 'chunks_%s_hnsw'"
                    .formatted(physicalName))
            .size()
        == 1;
  }

  /** The first column of every row a query returns, as text. */
  private static List<String> firstColumn(String query) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }

  @Test
  @DisplayName("a filtered search can use the HNSW index and still fills topK")
  void filteredSearchUsesHnswAndFillsTopK(TestInfo test) throws SQLException {
    IndexSpec spec = spec(test);
    List<ChunkWrite> writes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      float[] vector = {1, i / 300f, (i % 7) / 7f, 0.1f, 0, 0, 0, (i % 3) / 3f};
      writes.add(
          new ChunkWrite.Upsert(
              ChunkRecord.builder()
                  .chunkId("c" + i)
                  .documentId("d" + i)
                  .documentVersion(1)
                  .position(0)
                  .text("t")
                  .sourceType(i % 10 == 0 ? "code" : "doc")
                  .embedding(vector)
                  .build()));
    }
    store.write(spec.physicalName(), writes);
    Filter rare = Filter.eq(new Filter.Field.SourceType(), "code");

    var hits =
        store.vectorSearch(
            spec.physicalName(),
            new VectorQuery(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 20, 0.0, rare));

    assertThat(hits).hasSize(20);
    assertThat(explainWithoutSeqScan(spec.physicalName()))
        .contains("chunks_" + spec.physicalName() + "_hnsw");
  }

  @Test
  @DisplayName("a database prepared by hand from the printed DDL is accepted by ensureIndex")
  void printedDdlIsAccepted() throws SQLException {
    String schema = "ct_" + RUN + "_dba";
    IndexSpec spec = new IndexSpec("ct_" + RUN + "_printed", 8, MODEL, "english");
    sql("CREATE SCHEMA " + schema);
    String url = server.jdbcUrl() + "?currentSchema=" + schema + ",public";
    try (Connection connection =
            DriverManager.getConnection(url, server.user(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute(PostgresStore.ddl(spec));
    }
    try (PostgresStore dbaStore =
        new PostgresStore(PostgresConfig.of(url, server.user(), server.password()))) {
      dbaStore.ensureIndex(spec);
      dbaStore.write(
          spec.physicalName(),
          List.of(new ChunkWrite.Upsert(chunk("c1", new float[] {1, 0, 0, 0, 0, 0, 0, 0}))));

      assertThat(dbaStore.count(spec.physicalName(), Filter.ALL)).isEqualTo(1);
    } finally {
      sql("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Test
  @DisplayName("a database that does not exist is reported as unavailable, naming it")
  void missingDatabaseIsUnavailable() {
    String url = server.jdbcUrl().replaceFirst("/[^/?]+$", "/agentbrain_no_such_db");
    try (PostgresStore lost =
        new PostgresStore(PostgresConfig.of(url, server.user(), server.password()))) {
      assertThatThrownBy(() -> lost.count("docs_v1", Filter.ALL))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("does not exist");
    }
  }

  private static ChunkRecord chunk(String id, float[] vector) {
    return ChunkRecord.builder()
        .chunkId(id)
        .documentId("doc")
        .documentVersion(1)
        .position(0)
        .text("text")
        .sourceType("doc")
        .embedding(vector)
        .build();
  }

  @Test
  @DisplayName("a pool whose every connection is busy says so, not that PostgreSQL is down")
  void busyPoolIsNotUnreachable(TestInfo test) throws Exception {
    IndexSpec spec = spec(test);
    PostgresConfig oneConnection =
        new PostgresConfig(
            server.jdbcUrl(), server.user(), server.password(), 1, Duration.ofMillis(500), 100);
    try (PostgresStore small = new PostgresStore(oneConnection);
        Connection locker =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
      small.count(spec.physicalName(), Filter.ALL); // the pool's one connection, warmed
      locker.setAutoCommit(false);
      try (Statement lock = locker.createStatement()) {
        lock.execute(
            "LOCK TABLE chunks_%s IN ACCESS EXCLUSIVE MODE".formatted(spec.physicalName()));
      }
      // the count waits on the lock and holds the pool's one connection meanwhile
      CompletableFuture<Long> holding =
          CompletableFuture.supplyAsync(() -> small.count(spec.physicalName(), Filter.ALL));
      Thread.sleep(300);

      assertThatThrownBy(() -> small.count(spec.physicalName(), Filter.ALL))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("had no free connection in this process's pool")
          .hasMessageNotContaining("not reachable");

      locker.rollback();
      assertThat(holding.get(10, TimeUnit.SECONDS)).isZero();
    }
  }

  private static void sql(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String columnType(String physicalName) throws SQLException {
    return firstColumn(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid ="
                + " 'chunks_%s'::regclass AND attname = 'embedding'".formatted(physicalName))
        .getFirst();
  }

  private static String explainWithoutSeqScan(String physicalName) throws SQLException {
    String table = ChunkTable.nameOf(physicalName);
    try (Connection connection =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute("SET enable_seqscan = off");
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows =
          statement.executeQuery(
              "EXPLAIN "
                  + ChunkReader.searchSql(table, "source_type = ANY('{code}')")
                      .replaceFirst("\\?", "'[1,0,0,0,0,0,0,0]'")
                      .replaceFirst("\\?", "20"))) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
