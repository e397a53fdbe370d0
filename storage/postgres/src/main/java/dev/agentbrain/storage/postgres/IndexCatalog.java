package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The physical indexes of {@link PostgresStore} and their DDL: the catalog table {@code
 * agentbrain_indexes}, which versioned migrations ({@link SchemaMigrations}) create on first use,
 * one table per index ({@link ChunkTable}), and what is known of each index, read from the catalog
 * once and forgotten when work about it fails (another process may have dropped or replaced it).
 * Creating, changing and dropping an index hold its advisory lock.
 */
final class IndexCatalog {

  private static final Logger log = LoggerFactory.getLogger(IndexCatalog.class);
  private static final String BACKEND = "PostgreSQL";

  /** Separates index locks from other advisory locks: the first half of a two-key lock. */
  private static final int INDEX_LOCK_SPACE = 0x61626978;

  private final ConcurrentMap<String, ChunkTable> tables = new ConcurrentHashMap<>();
  private final Transactions transactions;
  private volatile boolean migrated;

  IndexCatalog(DataSource pool, PostgresErrors errors) {
    this.transactions = new Transactions(pool, errors, tables::remove);
  }

  /** The script of {@link PostgresStore#ddl}: what {@link #ensure} creates in a fresh database. */
  static String ddl(IndexSpec spec) {
    ChunkTable table = new ChunkTable(spec);
    return "-- Agent Brain schema and index %s, for a fresh database\nBEGIN;\n%s\n-- index %s\n%s%sCOMMIT;\n"
        .formatted(
            spec.physicalName(),
            SchemaMigrations.script(),
            spec.physicalName(),
            table.createSql()
                + table.keywordStatisticsSql()
                + table.keywordPostingsSql()
                + table.keywordBlocksSql(),
            table.catalogInsertSql());
  }

  /**
   * Creates the physical index when it does not exist, with its HNSW index or without it ({@link
   * PostgresStore#ensureIndexForBulkLoad}); when it does, checks that it was built for {@code spec}
   * and brings it up to date.
   */
  void ensure(IndexSpec spec, boolean vectorIndex) {
    migrateOnce();
    ChunkTable table = new ChunkTable(spec);
    transactions.inTransaction(
        "preparing index " + spec.physicalName(),
        spec.physicalName(),
        connection -> {
          lockIndex(connection, spec.physicalName());
          Optional<IndexSpec> stored = catalogEntry(connection, spec.physicalName());
          if (stored.isPresent()) {
            spec.requireMatches(stored.get(), BACKEND);
            requireColumnType(connection, table);
            addWhenMissing(
                connection, table, table.statsName(), table.keywordStatisticsSql(), "statistics");
            addWhenMissing(
                connection, table, table.postingsName(), table.keywordPostingsSql(), "postings");
            try (Statement ddl = connection.createStatement()) {
              ddl.execute(table.versionTablesSql());
            }
            addWhenMissing(
                connection, table, table.blocksName(), table.keywordBlocksSql(), "posting blocks");
          } else {
            create(connection, table, vectorIndex);
          }
          return null;
        });
    tables.put(spec.physicalName(), table);
  }

  /**
   * As {@link PostgresStore#buildVectorIndex}: when the HNSW index is missing, builds it {@code
   * CONCURRENTLY}, then vacuums and analyses the chunks and postings and rewrites the blocks
   * compactly.
   */
  Duration buildVectorIndex(String physicalName, String maintenanceWorkMem, int parallelWorkers) {
    ChunkTable table = table(physicalName);
    long started = System.nanoTime();
    // CONCURRENTLY cannot run inside a transaction
    transactions.autoCommit(
        "building the vector index of " + physicalName,
        physicalName,
        connection -> {
          try (PreparedStatement exists =
              connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table.name() + "_hnsw");
            try (ResultSet rows = exists.executeQuery()) {
              rows.next();
              if (rows.getBoolean(1)) {
                return null; // built before: nothing was bulk loaded since
              }
            }
          }
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
            // terms and the statistics row are updated by every statement: without autovacuum
            // (this machine's server runs without it) 214k chunks of a load left 6.9 million dead
            // copies of 41,065 term rows, which a search's look-up of a frequency walks
            build.execute(
                "VACUUM (ANALYZE) %s, %s, %s, %s"
                    .formatted(
                        table.name(), table.postingsName(), table.termsName(), table.statsName()));
            // the load rewrote each term's last block once per statement: most pages hold dead
            // copies (99,990 chunks: 1,123 MB of pages for 91 MB of blocks, 105 MB rewritten)
            build.execute("VACUUM (FULL, ANALYZE) %s".formatted(table.blocksName()));
          } finally {
            try (Statement reset = connection.createStatement()) {
              // the connection goes back to the pool
              reset.execute("RESET maintenance_work_mem; RESET max_parallel_maintenance_workers");
            }
          }
          return null;
        });
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** Drops the index's tables and its catalog row; nothing when there is no such index. */
  void drop(String physicalName) {
    IndexSpec.requireValidName(physicalName);
    migrateOnce();
    transactions.inTransaction(
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

  /** The table of an index, from the catalog the first time. */
  ChunkTable table(String physicalName) {
    IndexSpec.requireValidName(physicalName);
    ChunkTable known = tables.get(physicalName);
    if (known != null) {
      return known;
    }
    ChunkTable found =
        transactions
            .inTransaction(
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

  /** Runs the work on this store's connections; a failure about an index forgets its table. */
  Transactions transactions() {
    return transactions;
  }

  /**
   * Takes the index's advisory lock until the transaction ends: writes and schema changes of an
   * index queue here.
   */
  static void lockIndex(Connection connection, String physicalName) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, INDEX_LOCK_SPACE);
      lock.setString(2, physicalName);
      lock.execute();
    }
  }

  private void migrateOnce() {
    if (migrated) {
      return;
    }
    synchronized (this) {
      if (!migrated) {
        transactions.inTransaction(
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

  /**
   * Gives an index created before a keyword table ({@code what}) existed that table, counted from
   * its chunks by {@code sql}.
   */
  private static void addWhenMissing(
      Connection connection, ChunkTable table, String tableName, String sql, String what)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT to_regclass(?) IS NULL")) {
      select.setString(1, tableName);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        if (!rows.getBoolean(1)) {
          return;
        }
      }
    }
    try (PreparedStatement ddl = connection.prepareStatement(sql)) {
      ddl.execute();
    }
    log.info("added keyword {} to PostgreSQL index {}", what, table.spec().physicalName());
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
                table.createSql(vectorIndex)
                    + table.keywordStatisticsSql()
                    + table.keywordPostingsSql()
                    + table.keywordBlocksSql());
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
}
