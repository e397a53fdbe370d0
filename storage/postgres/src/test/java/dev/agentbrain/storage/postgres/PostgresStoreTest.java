package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.StorageUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PostgresStoreTest {

  @Test
  @DisplayName("a store whose server is down can be built, and calls fail as unavailable")
  void unreachableServerIsUnavailable() throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/agentbrain";
    PostgresConfig config = new PostgresConfig(url, "postgres", "", 1, Duration.ofMillis(500), 100);

    try (PostgresStore store = new PostgresStore(config)) {
      assertThatThrownBy(() -> store.count("docs_v1", Filter.ALL))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("PostgreSQL at " + url + " is not reachable")
          .hasMessageContaining("make up");
    }
  }

  @Test
  @DisplayName("the DDL for a DBA holds the migrations, the table, its indexes and the catalog row")
  void ddlScript() {
    String ddl = PostgresStore.ddl(new IndexSpec("docs_v1", 384, "bge-small", "english"));

    assertThat(ddl)
        .startsWith("-- Agent Brain schema and index docs_v1")
        .contains("CREATE EXTENSION IF NOT EXISTS vector;")
        .contains("CREATE TABLE agentbrain_indexes")
        .contains("INSERT INTO agentbrain_schema_migrations (version, description) VALUES (1,")
        .contains("CREATE TABLE chunks_docs_v1")
        .contains("VALUES ('docs_v1', 'bge-small', 384, 'english');")
        .endsWith("COMMIT;\n");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
