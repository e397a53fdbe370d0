package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.testing.LocalServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A database that has never seen Agent Brain, without pgvector's extension: what a user who points
 * {@code AGENT_BRAIN_PG_URL} at a new database has. The extension must exist before a connection
 * learns the {@code vector} type, or the driver remembers that the type is missing for the life of
 * the connection (every write failed with "Unknown type vector" on such a database).
 */
class FreshDatabaseIT {

  private static final IndexSpec SPEC = new IndexSpec("fresh", 3, "test-model", "english");

  private LocalServices.Postgres server;
  private String database;
  private String url;

  @BeforeEach
  void createDatabase() throws SQLException {
    server = LocalServices.requirePostgres();
    database = "agentbrain_fresh_" + Long.toHexString(System.nanoTime());
    admin("CREATE DATABASE " + database);
    url = server.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  @Test
  @DisplayName(
      "a writer and a reader that connected first both work on a database without pgvector")
  void writesAndReadsOnADatabaseWithoutTheExtension() throws SQLException {
    PostgresConfig config = PostgresConfig.of(url, server.user(), server.password());
    try (PostgresStore reader = PostgresStore.reader(config, Duration.ofSeconds(10));
        PostgresStore writer = new PostgresStore(config)) {
      // the reader's pool holds a connection made before anything created the extension
      assertThatThrownBy(() -> reader.count(SPEC.physicalName(), Filter.ALL))
          .isInstanceOf(NoSuchIndexException.class);
      assertThat(extensionExists()).as("created by the first connection").isTrue();

      writer.ensureIndex(SPEC);
      writer.write(
          SPEC.physicalName(),
          List.of(
              new ChunkWrite.Upsert(chunk(0, new float[] {1, 0, 0}), 2),
              new ChunkWrite.Upsert(chunk(1, new float[] {0, 1, 0}), 2)));

      List<SearchHit> hits =
          reader.vectorSearch(
              SPEC.physicalName(), new VectorQuery(new float[] {1, 0.1f, 0}, 2, 0, Filter.ALL));
      assertThat(hits)
          .extracting(hit -> hit.chunk().chunkId())
          .containsExactly("doc#1#0", "doc#1#1");
    }
  }

  private static ChunkRecord chunk(int position, float[] vector) {
    return ChunkRecord.builder()
        .chunkId("doc#1#" + position)
        .documentId("doc")
        .documentVersion(1)
        .position(position)
        .text("text " + position)
        .source("folder/doc.md")
        .sourceType("doc")
        .language("markdown")
        .embedding(vector)
        .build();
  }

  private boolean extensionExists() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(url, server.user(), server.password());
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'vector'")) {
      rows.next();
      return rows.getInt(1) == 1;
    }
  }

  private void admin(String sql) throws SQLException {
    String postgres = server.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
    try (Connection connection =
            DriverManager.getConnection(postgres, server.user(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
