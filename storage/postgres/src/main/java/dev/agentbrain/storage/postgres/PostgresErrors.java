package dev.agentbrain.storage.postgres;

import dev.agentbrain.config.Secrets;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;

/**
 * Turns a {@link SQLException} into the storage error a caller can act on: {@link
 * StorageUnavailableException} when retrying later may help, a plain {@link StorageException}
 * otherwise. Messages name the server and the action, never SQL or the driver's text (that stays in
 * the cause).
 *
 * @param server the JDBC URL, shown in messages with any password in it masked
 */
record PostgresErrors(String server) {

  PostgresErrors {
    server = Secrets.maskUrls(server);
  }

  /**
   * @param action what was being done, as "while ..." completes it, e.g. {@code "writing to index
   *     docs_v1"}
   * @param physicalName the index concerned, or {@code ""}
   */
  StorageException translate(SQLException error, String action, String physicalName) {
    String state = Objects.requireNonNullElse(error.getSQLState(), "");
    if (error instanceof SQLTransientConnectionException
        && state.isEmpty()
        && error.getCause() == null) {
      // HikariCP's pool timeout with no failed connection behind it: every connection was in use
      return new StorageUnavailableException(
          ("PostgreSQL at %s had no free connection in this process's pool for the whole wait while"
                  + " %s: every connection was busy with other work (slow searches hold one until"
                  + " they end); retry when the load drops, or give the query API's pool more"
                  + " connections or a longer wait (AGENT_BRAIN_PG_READ_POOL_SIZE,"
                  + " AGENT_BRAIN_PG_ACQUIRE_TIMEOUT_MS)")
              .formatted(server, action),
          error);
    }
    if (state.equals("3D000")) {
      return new StorageUnavailableException(
          "the PostgreSQL database at %s does not exist; create it (`make up` does) and retry"
              .formatted(server),
          error);
    }
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("53300")
        || error instanceof SQLTransientConnectionException) {
      return new StorageUnavailableException(
          "PostgreSQL at %s is not reachable while %s; check that it runs (`make up` starts it) and retry"
              .formatted(server, action),
          error);
    }
    return switch (state) {
      case "40001", "40P01" ->
          new StorageUnavailableException(
              "PostgreSQL gave up %s because of a concurrent transaction; retry".formatted(action),
              error);
      case "57014" ->
          new StorageUnavailableException(
              "PostgreSQL stopped %s because it ran past the statement timeout".formatted(action)
                  + " (AGENT_BRAIN_PG_STATEMENT_TIMEOUT_MS); narrow the search (a filter, fewer"
                  + " words) or retry when the database is less busy",
              error);
      case "42P01" ->
          new NoSuchIndexException(
              "index %s does not exist in PostgreSQL at %s; create it first (the indexer does on start)"
                  .formatted(physicalName, server),
              error);
      case "28000", "28P01" ->
          new StorageException(
              ("PostgreSQL at %s refused the configured user or password (AGENT_BRAIN_PG_USER, or"
                      + " AGENT_BRAIN_PG_READ_USER for the query API: `make up` creates that role)")
                  .formatted(server),
              error);
      case "42501" ->
          new StorageException(
              "the PostgreSQL user may not do this while %s; ask a database administrator to apply the schema (PostgresStore.ddl prints it)"
                  .formatted(action),
              error);
      case "25006" ->
          new StorageException(
              ("the PostgreSQL user is read-only (the query API's AGENT_BRAIN_PG_READ_USER) and may"
                      + " not write while %s; write with AGENT_BRAIN_PG_USER, the indexer's login")
                  .formatted(action),
              error);
      case "22021", "22P05" ->
          new StorageException(
              "a chunk's text holds a character PostgreSQL cannot store (such as NUL) while "
                  + action,
              error);
      default ->
          new StorageException(
              "PostgreSQL failed while %s (SQLSTATE %s)".formatted(action, state), error);
    };
  }
}
