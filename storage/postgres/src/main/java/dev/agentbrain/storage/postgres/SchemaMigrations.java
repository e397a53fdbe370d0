package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned SQL scripts that create the objects every index shares, applied once each and
 * recorded in {@code agentbrain_schema_migrations}. New scripts are appended to {@link #ALL}; an
 * applied script is never edited.
 */
final class SchemaMigrations {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

  /** Serialises migrations of concurrent processes (an advisory lock key: "agentbra"). */
  static final long LOCK_KEY = 0x6167656e74627261L;

  record Migration(int version, String description, String resource) {
    String sql() {
      try (InputStream in = SchemaMigrations.class.getResourceAsStream("migrations/" + resource)) {
        if (in == null) {
          throw new IllegalStateException("migration script " + resource + " is missing");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final List<Migration> ALL =
      List.of(
          new Migration(1, "index catalog", "V1__index_catalog.sql"),
          new Migration(2, "keyword statistics", "V2__keyword_statistics.sql"),
          new Migration(3, "keyword postings", "V3__keyword_postings.sql"),
          new Migration(4, "keyword posting blocks", "V4__keyword_blocks.sql"),
          new Migration(5, "keyword triggers by key", "V5__keyword_triggers_by_key.sql"));

  private static final String CREATE_HISTORY =
      """
      CREATE TABLE IF NOT EXISTS agentbrain_schema_migrations (
        version     integer     PRIMARY KEY,
        description text        NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      );
      """;

  private SchemaMigrations() {}

  /**
   * Applies the scripts the database lacks, inside the caller's transaction (which must commit).
   *
   * @throws StorageException when the server has no pgvector files to create the extension from
   */
  static void apply(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      try (ResultSet rows =
          statement.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")) {
        if (!rows.next()) {
          throw new StorageException(
              "the pgvector extension is not installed on the PostgreSQL server; install it"
                  + " (`make up` does) and retry");
        }
      }
      statement.execute(CREATE_HISTORY);
      Set<Integer> applied = new HashSet<>();
      try (ResultSet rows =
          statement.executeQuery("SELECT version FROM agentbrain_schema_migrations")) {
        while (rows.next()) {
          applied.add(rows.getInt(1));
        }
      }
      for (Migration migration : ALL) {
        if (!applied.contains(migration.version())) {
          statement.execute(migration.sql());
          record(connection, migration);
          log.info(
              "applied schema migration {} ({})", migration.version(), migration.description());
        }
      }
    }
  }

  /** The whole schema as one script, for a database administrator to review or run by hand. */
  static String script() {
    return CREATE_HISTORY
        + ALL.stream()
            .map(
                migration ->
                    "\n-- migration %d: %s\n%s\nINSERT INTO agentbrain_schema_migrations (version, description) VALUES (%d, '%s');\n"
                        .formatted(
                            migration.version(),
                            migration.description(),
                            migration.sql().strip(),
                            migration.version(),
                            migration.description()))
            .collect(Collectors.joining());
  }

  private static void record(Connection connection, Migration migration) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO agentbrain_schema_migrations (version, description) VALUES (?, ?)")) {
      insert.setInt(1, migration.version());
      insert.setString(2, migration.description());
      insert.executeUpdate();
    }
  }
}
