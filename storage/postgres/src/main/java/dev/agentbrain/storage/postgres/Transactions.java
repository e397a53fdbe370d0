package dev.agentbrain.storage.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Runs work on a pooled connection, in one transaction or (for statements that cannot run in one)
 * in auto-commit mode, and turns its SQL failures into the storage exceptions ({@link
 * PostgresErrors}), which name the action and the index.
 */
final class Transactions {

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource pool;
  private final PostgresErrors errors;
  private final Consumer<String> onFailure;

  /**
   * @param onFailure called with the index's physical name when work about an index fails
   */
  Transactions(DataSource pool, PostgresErrors errors, Consumer<String> onFailure) {
    this.pool = pool;
    this.errors = errors;
    this.onFailure = onFailure;
  }

  /**
   * Runs {@code work} in one transaction and translates failures. Any SQL failure about an index
   * reports it to {@code onFailure}, which forgets what is known about it, in case another process
   * dropped or replaced it.
   */
  <T> T inTransaction(String action, String physicalName, Work<T> work) {
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
        onFailure.accept(physicalName);
      }
      throw errors.translate(e, action, physicalName);
    }
  }

  /**
   * Runs {@code work} on a connection in auto-commit mode, for a statement that cannot run inside a
   * transaction (such as {@code CREATE INDEX CONCURRENTLY}), and translates failures.
   */
  <T> T autoCommit(String action, String physicalName, Work<T> work) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(true);
      return work.run(connection);
    } catch (SQLException e) {
      throw errors.translate(e, action, physicalName);
    }
  }
}
