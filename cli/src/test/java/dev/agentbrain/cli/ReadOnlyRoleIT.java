package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Setting;
import dev.agentbrain.config.Settings;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.postgres.PostgresStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API reads PostgreSQL as AGENT_BRAIN_PG_READ_USER, the role `make up` creates with
 * SELECT alone: whatever reaches PostgreSQL through that login, from a psql-like session, from the
 * very store the API searches with, or from a request, cannot change or drop the index.
 */
class ReadOnlyRoleIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path state;

  private static IsolatedPipeline pipeline;
  private static String table;

  /** One index for both tests (they only read it, or fail to write it), written by the indexer. */
  @BeforeAll
  static void indexSomeDocuments() throws Exception {
    pipeline = IsolatedPipeline.start("readonly", 1);
    table = "chunks_" + pipeline.physical;
    try (IndexerService indexer = pipeline.indexer(state)) {
      indexer.start();
      await().atMost(WAIT).until(() -> indexer.state() == KafkaStreams.State.RUNNING);
      try (DocumentPublisher publisher = pipeline.publisher()) {
        publisher.publishAll(pipeline.documents(4, 3));
      }
      IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.count(pipeline.postgres) >= 4);
    }
    // the indexer is closed: nothing but the attempts below could change the tables
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) pipeline.close();
  }

  @Test
  @DisplayName(
      "INSERT, UPDATE, DELETE, TRUNCATE, ALTER, DROP, CREATE, CREATE TEMP and COMMENT as the query API's"
          + " role all fail,"
          + " even in a read-write transaction, and the index is unchanged")
  void theReadRoleCannotWrite() throws Exception {
    String before = snapshot();
    List<String> attempts =
        List.of(
            "INSERT INTO %s (chunk_id, document_id) VALUES ('defaced', 'defaced')".formatted(table),
            "INSERT INTO agentbrain_indexes SELECT * FROM agentbrain_indexes",
            "UPDATE %s SET text = 'defaced'".formatted(table),
            "DELETE FROM %s".formatted(table),
            "DELETE FROM agentbrain_indexes",
            "TRUNCATE %s".formatted(table),
            "ALTER TABLE %s ADD COLUMN defaced integer".formatted(table),
            "DROP TABLE %s".formatted(table),
            "CREATE TABLE agentbrain_defaced (id integer)",
            // a temp table is allowed in a read-only transaction: only the privilege stops it
            "CREATE TEMP TABLE defaced AS SELECT * FROM %s".formatted(table),
            "CREATE INDEX defaced ON %s (text)".formatted(table),
            "COMMENT ON TABLE %s IS 'defaced'".formatted(table));
    try (Connection reader = connect(Settings.PG_READ_USER, Settings.PG_READ_PASSWORD)) {
      assertThat(scalar(reader, "SELECT count(*) FROM " + table)).isNotEqualTo("0");
      for (String sql : attempts) {
        for (boolean readWrite : new boolean[] {false, true}) {
          reader.setAutoCommit(false);
          try (Statement statement = reader.createStatement()) {
            if (readWrite) {
              // the role's default is read-only transactions; asking for read-write must not help
              statement.execute("SET TRANSACTION READ WRITE");
            }
            assertThatThrownBy(() -> statement.execute(sql))
                .as("%s (read-write transaction: %s)", sql, readWrite)
                .isInstanceOfSatisfying(
                    SQLException.class,
                    e ->
                        assertThat(e.getSQLState())
                            .as("%s: %s", sql, e.getMessage())
                            // insufficient_privilege / read_only_sql_transaction
                            .isIn("42501", "25006"));
          } finally {
            reader.rollback();
          }
        }
      }
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "the store the query API searches with refuses writes and drops, and requests with SQL in"
          + " them change nothing, while searches still answer")
  void theApiCannotWrite() throws Exception {
    String before = snapshot();
    try (PostgresStore reader = pipeline.wiring.postgresReader()) {
      String someDocument = scalar("SELECT document_id FROM " + table + " LIMIT 1");
      assertThatThrownBy(
              () ->
                  reader.write(
                      pipeline.physical,
                      List.of(new ChunkWrite.DeleteDocument(someDocument, Long.MAX_VALUE))))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("read-only");
      assertThatThrownBy(() -> reader.dropIndex(pipeline.physical))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("read-only");
    }

    try (QueryServer server = pipeline.queryServer().listen("127.0.0.1", 0).start()) {
      HttpClient http = HttpClient.newHttpClient();
      String drop = "x'); DROP TABLE " + table + "; DELETE FROM agentbrain_indexes; --";
      List<Map<String, Object>> requests = new ArrayList<>();
      for (String mode : List.of("vector", "bm25", "hybrid")) {
        requests.add(Map.of("query", drop, "index", pipeline.index, "mode", mode));
        requests.add(
            Map.of(
                "query",
                "kafka",
                "index",
                pipeline.index,
                "mode",
                mode,
                "metadata",
                Map.of("team' OR '1'='1", drop)));
      }
      for (Map<String, Object> request : requests) {
        HttpResponse<String> answer = post(http, server.port(), request);
        assertThat(answer.statusCode()).as("%s: %s", request, answer.body()).isEqualTo(200);
      }
      HttpResponse<String> search =
          post(http, server.port(), Map.of("query", "kafka broker", "index", pipeline.index));
      JsonNode hits = JSON.readTree(search.body()).path("results");
      assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
      assertThat(hits.size()).as(search.body()).isPositive();
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  private static HttpResponse<String> post(HttpClient http, int port, Map<String, Object> body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every row of the index's table and its catalog entry, read as the writer. */
  private String snapshot() throws SQLException {
    return scalar(
        """
        SELECT (SELECT string_agg(c::text, E'\\n' ORDER BY chunk_id) FROM %s AS c)
               || (SELECT string_agg(i::text, E'\\n') FROM agentbrain_indexes AS i
                   WHERE physical_name = '%s')
        """
            .formatted(table, pipeline.physical));
  }

  private String scalar(String sql) throws SQLException {
    try (Connection writer = connect(Settings.PG_USER, Settings.PG_PASSWORD)) {
      return scalar(writer, sql);
    }
  }

  private static Connection connect(Setting<String> user, Setting<String> password)
      throws SQLException {
    Settings settings = pipeline.wiring.settings;
    return DriverManager.getConnection(
        settings.get(Settings.PG_URL), settings.get(user), settings.get(password));
  }

  private static String scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }
}
